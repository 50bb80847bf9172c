/**
 * Group commit on SQLite: the transactions that arrive while one group runs
 * wait, and then go together into one BEGIN IMMEDIATE … COMMIT, each inside
 * its own SAVEPOINT. One fsync acknowledges the whole group, where each
 * transaction used to pay its own.
 *
 * - An item that fails rolls back to its savepoint and fails alone.
 * - Nobody hears anything before the shared COMMIT: not the items that
 *   succeeded (they are not durable yet), and not the ones that failed (a
 *   failed item may be a duplicate of one that succeeded in the same group,
 *   and its caller then reads the winner, which must be committed by then).
 * - If COMMIT fails (or SQLite abandons the transaction under an item), every
 *   item of the group fails with STORE_UNAVAILABLE, so a payment platform
 *   hears 503 and retries.
 * - No added wait at low load: a lone transaction starts at the next turn of
 *   the event loop (setImmediate), after whatever I/O is already waiting,
 *   which is how the requests behind it join. A group holds at most GROUP_MAX.
 * - Between items the group yields to the event loop: a member's read (on
 *   its own connection) is answered between two payments instead of after
 *   the whole group. Measured with 32 notifications in flight: `GET /me` p50
 *   44 → 8 ms and p99 75 → 32 ms, notification throughput unchanged within
 *   noise (issue 13). Transactions that arrive meanwhile wait for the next group.
 *   The write lock is held across those turns, so this must stay the one
 *   writing connection to its file in the process: a second one's BEGIN
 *   IMMEDIATE would wait synchronously and block the loop the group needs
 *   to finish.
 */
import type Database from 'better-sqlite3';
import { errors } from '../../domain/errors.js';

/** Transactions one COMMIT acknowledges at most. */
export const GROUP_MAX = 64;

interface Item {
  fn: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class GroupCommitter {
  private pending: Item[] = [];
  private draining: Promise<void> | null = null;
  /** Waiting for the open group to end (plain reads on a connection that shares it). */
  private waiters: Array<() => void> = [];
  /** Groups committed and transactions in them, for the bench and the logs. */
  readonly stats = { groups: 0, items: 0 };

  constructor(private readonly db: Database.Database) {}

  /** Runs fn inside the next group; settles after that group's COMMIT. */
  submit<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves when no group is open (at once if none is): a read then sees only committed rows. */
  closed(): Promise<void> {
    if (!this.db.inTransaction) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once everything submitted so far has settled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    await nextTurn(); // the requests already waiting on the event loop join the first group
    while (this.pending.length > 0) {
      await this.commitGroup(this.pending.splice(0, GROUP_MAX));
      await nextTurn(); // and those that arrived meanwhile, the next one
    }
    this.draining = null;
  }

  private async commitGroup(group: Item[]): Promise<void> {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const item of group) item.reject(e); // busy past busy_timeout: the store's retry submits again
      return;
    }
    const outcomes: Outcome[] = [];
    for (const [k, item] of group.entries()) {
      if (k > 0) await nextTurn(); // the event loop breathes between items: see the header
      if (!this.db.inTransaction) break; // SQLite abandoned the transaction (disk full, I/O error): all fail below
      this.db.exec('SAVEPOINT item');
      try {
        const value = await item.fn();
        this.db.exec('RELEASE item');
        outcomes.push({ ok: true, value });
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK TO item; RELEASE item');
        outcomes.push({ ok: false, error });
      }
    }
    let failure: unknown = null;
    try {
      if (!this.db.inTransaction || outcomes.length < group.length) throw new Error('transaction abandoned');
      this.db.exec('COMMIT');
    } catch (e) {
      failure = e;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    }
    this.stats.groups++;
    this.stats.items += group.length;
    for (const wake of this.waiters.splice(0)) wake();
    if (failure) {
      const unavailable = errors.storeUnavailable();
      for (const item of group) item.reject(unavailable);
      return;
    }
    outcomes.forEach((o, k) => (o.ok ? group[k]!.resolve(o.value) : group[k]!.reject(o.error)));
  }
}

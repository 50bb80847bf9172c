/**
 * The expiry sweep: releases pay-code holds past their TTL and expires lots
 * past their date, member by member (Ledger.expire). It walks the due
 * members in id order with a cursor kept between runs, so members it cannot
 * change (every due point held, say by a redemption waiting for review) are
 * passed over instead of being read first on every run: everyone after them
 * always gets their turn. A pass that reaches the end starts over.
 *
 * A page's members are expired SWEEP_IN_FLIGHT at a time: each is its own
 * transaction, and transactions in flight together share one commit on
 * SQLite (group commit) and run side by side on PostgreSQL. One at a time,
 * a durable commit per member was most of the job's time.
 */
import type { Store } from '../store/port.js';
import type { Ledger } from './ledger.js';

/** Members a page reads; a run reads at most SWEEP_PAGES_MAX pages of each kind. */
export const SWEEP_PAGE = 100;
export const SWEEP_PAGES_MAX = 50;
/** Pay codes live 120 s and a refresh replaces them; a day-old code belongs to a long-closed hold. */
export const PAY_CODE_KEEP_MS = 24 * 3600_000;
export const SWEEP_IN_FLIGHT = 8;

type Due = 'holds' | 'lots';

export class ExpirySweep {
  private readonly cursor: Record<Due, string | null> = { holds: null, lots: null };

  constructor(private readonly deps: { store: Store; clock: () => number; ledger: Ledger }) {}

  /** One run; returns how many members it changed (released a hold of, or expired points of). */
  async run(page = SWEEP_PAGE): Promise<number> {
    const now = this.deps.clock();
    let changed = 0;
    for (const due of ['holds', 'lots'] as const) {
      for (let n = 0; n < SWEEP_PAGES_MAX; n++) {
        const members = await this.dueMembers(due, now, page);
        changed += await this.expireAll(members);
        // A short page ends the pass; the next run starts from the first member again.
        this.cursor[due] = members.length < page ? null : members[members.length - 1]!;
        if (this.cursor[due] === null) break;
      }
    }
    return changed;
  }

  /** Expires each member's due holds and lots, SWEEP_IN_FLIGHT at a time; how many changed. */
  private async expireAll(members: string[]): Promise<number> {
    let next = 0;
    let changed = 0;
    const worker = async () => {
      while (next < members.length) {
        const m = members[next++]!;
        try {
          if ((await this.deps.ledger.expire(m)).length > 0) changed++;
        } catch (e) {
          next = members.length; // the others stop too: the run fails as a whole and the timer retries
          throw e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SWEEP_IN_FLIGHT, members.length) }, worker));
    return changed;
  }

  /** Deletes pay codes of holds long closed, a batch at a time; returns how many. */
  async prunePayCodes(batch: number): Promise<number> {
    const before = this.deps.clock() - PAY_CODE_KEEP_MS;
    return this.deps.store.transaction((tx) => tx.deletePayCodesBefore(before, batch));
  }

  private dueMembers(due: Due, now: number, page: number): Promise<string[]> {
    const after = this.cursor[due];
    return due === 'holds'
      ? this.deps.store.membersWithDueHolds(now, after, page)
      : this.deps.store.membersWithDueLots(now, after, page);
  }
}

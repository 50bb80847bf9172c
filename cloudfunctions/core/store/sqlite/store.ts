/**
 * SQLite backend (better-sqlite3): the embedded default. WAL with
 * synchronous=FULL, so a write we acknowledged survives a power cut. One
 * connection per process: transactions are serialized in-process by a queue
 * and across processes by BEGIN IMMEDIATE (waiting up to busy_timeout).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errors } from '../../domain/errors.js';
import { UniqueViolation, VersionConflict, type Tx } from '../port.js';
import { applyPending, MIGRATIONS_TABLE_SQL } from '../sql/migrate.js';
import type { SqlRow, SqlRunner, SqlValue } from '../sql/runner.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqlTx } from '../sql/sql-tx.js';
import { withRetry } from '../retry.js';
import { migrations } from './migrations.js';

class SqliteRunner implements SqlRunner {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
  async all(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    return refined(() => this.prepare(sql).all(...params) as SqlRow[]);
  }
  async get(sql: string, params: SqlValue[] = []): Promise<SqlRow | undefined> {
    return refined(() => this.prepare(sql).get(...params) as SqlRow | undefined);
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return refined(() => this.prepare(sql).run(...params).changes);
  }
}

function refined<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new UniqueViolation((e as Error).message);
    throw e;
  }
}

/** One operation at a time on the connection, in arrival order. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
  drained(): Promise<unknown> {
    return this.tail;
  }
}

/**
 * Plain reads wait their turn behind transactions: on a shared connection a
 * read that slipped in while a transaction awaits would see its uncommitted rows.
 */
class QueuedRunner implements SqlRunner {
  constructor(
    private readonly inner: SqlRunner,
    private readonly queue: Queue,
  ) {}
  all(sql: string, params?: SqlValue[]) {
    return this.queue.run(() => this.inner.all(sql, params));
  }
  get(sql: string, params?: SqlValue[]) {
    return this.queue.run(() => this.inner.get(sql, params));
  }
  run(sql: string, params?: SqlValue[]) {
    return this.queue.run(() => this.inner.run(sql, params));
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

export class SqliteStore extends SqlStore {
  readonly backend = 'sqlite' as const;

  private constructor(
    private readonly db: Database.Database,
    private readonly runner: SqliteRunner,
    private readonly queue: Queue,
  ) {
    super(new QueuedRunner(runner, queue));
  }

  /** `path` is a file path or ':memory:'. */
  static async open(path: string): Promise<SqliteStore> {
    // A new data directory is the owner's alone: it holds the ledger (and in sandbox, its secrets).
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    const queue = new Queue();
    const store = new SqliteStore(db, new SqliteRunner(db), queue);
    await queue.run(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(MIGRATIONS_TABLE_SQL);
        await applyPending(store.runner, migrations);
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    });
    return store;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withRetry(
      () =>
        this.queue.run(async () => {
          this.db.exec('BEGIN IMMEDIATE');
          try {
            const result = await fn(new SqlTx(this.runner, { forUpdate: '' }));
            this.db.exec('COMMIT');
            return result;
          } catch (e) {
            if (this.db.inTransaction) this.db.exec('ROLLBACK');
            throw e;
          }
        }),
      (e) => isBusy(e) || e instanceof VersionConflict,
    );
  }

  async ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
    } catch {
      throw errors.storeUnavailable();
    }
  }

  async close(): Promise<void> {
    await this.queue.drained();
    this.db.close();
  }
}

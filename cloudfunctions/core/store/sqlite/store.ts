/**
 * SQLite backend (better-sqlite3): the embedded default. WAL with
 * synchronous=FULL, so a write we acknowledged survives a power cut. One
 * writing connection per process: transactions run one after another in
 * groups that share a COMMIT (group-commit.ts), and across processes wait
 * for each other at BEGIN IMMEDIATE (up to busy_timeout). Plain reads use a
 * read-only connection of their own.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errors } from '../../domain/errors.js';
import { UniqueViolation, VersionConflict, type Tx } from '../port.js';
import { applyPending, MIGRATIONS_TABLE_SQL } from '../sql/migrate.js';
import { sendNow, type SendChecks, type SqlRow, type SqlRunner, type SqlValue } from '../sql/runner.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqlTx } from '../sql/sql-tx.js';
import { withRetry } from '../retry.js';
import { migrations } from './migrations.js';
import { GroupCommitter } from './group-commit.js';
import { Checkpointer } from './checkpointer.js';

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
  send(sql: string, params?: SqlValue[], checks?: SendChecks): Promise<void> {
    return sendNow(this, sql, params, checks);
  }
}

/**
 * One transaction's statements. A statement that fails fails its
 * transaction even when the caller catches the error and goes on, as on
 * PostgreSQL (which aborts the transaction at the first error): otherwise
 * the item's savepoint would keep the writes around the failed one.
 */
class SqliteTxRunner implements SqlRunner {
  failure: { error: unknown } | null = null;
  constructor(private readonly inner: SqliteRunner) {}
  private async noted<T>(statement: Promise<T>): Promise<T> {
    try {
      return await statement;
    } catch (e) {
      this.failure ??= { error: e };
      throw e;
    }
  }
  all(sql: string, params?: SqlValue[]) {
    return this.noted(this.inner.all(sql, params));
  }
  get(sql: string, params?: SqlValue[]) {
    return this.noted(this.inner.get(sql, params));
  }
  run(sql: string, params?: SqlValue[]) {
    return this.noted(this.inner.run(sql, params));
  }
  send(sql: string, params?: SqlValue[], checks?: SendChecks): Promise<void> {
    return this.noted(sendNow(this.inner, sql, params, checks)); // the error as checks made it
  }
}

function refined<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    // A primary key is a unique key too (PostgreSQL reports both as 23505).
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      throw new UniqueViolation((e as Error).message);
    throw e;
  }
}

/**
 * Plain reads on the writing connection (':memory:', which no second
 * connection can open): they wait for an open group to end, since a read in
 * the middle of one would see its uncommitted rows.
 */
class GatedRunner implements SqlRunner {
  constructor(
    private readonly inner: SqlRunner,
    private readonly committer: GroupCommitter,
  ) {}
  async all(sql: string, params?: SqlValue[]) {
    await this.committer.closed();
    return this.inner.all(sql, params);
  }
  async get(sql: string, params?: SqlValue[]) {
    await this.committer.closed();
    return this.inner.get(sql, params);
  }
  async run(sql: string, params?: SqlValue[]) {
    await this.committer.closed();
    return this.inner.run(sql, params);
  }
  send(sql: string, params?: SqlValue[], checks?: SendChecks): Promise<void> {
    return sendNow(this, sql, params, checks);
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
    private readonly committer: GroupCommitter,
    reader: SqlRunner,
    private readonly readDb: Database.Database | null,
    private readonly checkpointer: Checkpointer | null,
  ) {
    super(reader);
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
    const runner = new SqliteRunner(db);
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS_TABLE_SQL);
      await applyPending(runner, migrations);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
    const committer = new GroupCommitter(db);
    if (path === ':memory:')
      return new SqliteStore(db, runner, committer, new GatedRunner(runner, committer), null, null);
    // Plain reads on a read-only connection of their own: a WAL reader sees only committed rows, so reads
    // never wait behind a group of writes.
    const readDb = new Database(path, { readonly: true, fileMustExist: true });
    readDb.pragma('busy_timeout = 10000');
    return new SqliteStore(db, runner, committer, new SqliteRunner(readDb), readDb, Checkpointer.start(db, path));
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withRetry(
      () =>
        this.committer.submit(async () => {
          const db = new SqliteTxRunner(this.runner);
          const result = await fn(new SqlTx(db, { forUpdate: '', skipLocked: '' }));
          if (db.failure) throw db.failure.error; // swallowed by the caller: the item still rolls back
          return result;
        }),
      (e) => isBusy(e) || e instanceof VersionConflict,
    );
  }

  /** Groups committed and the transactions in them since this store opened. */
  get groupStats(): { groups: number; items: number } {
    return { ...this.committer.stats };
  }

  async ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
    } catch {
      throw errors.storeUnavailable();
    }
  }

  async close(): Promise<void> {
    await this.committer.idle();
    await this.checkpointer?.stop();
    this.readDb?.close();
    this.db.close();
  }
}

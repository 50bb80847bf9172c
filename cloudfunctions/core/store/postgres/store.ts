/**
 * PostgreSQL backend (pg): self-hosting and scale-out, several stateless
 * servers on one database. Rows are locked with SELECT ... FOR UPDATE, system
 * accounts are sharded (no hot row), and a transaction that loses a race
 * (serialization failure, deadlock, version conflict) is retried whole.
 */
import pg from 'pg';
import { errors } from '../../domain/errors.js';
import { UniqueViolation, VersionConflict, type Tx } from '../port.js';
import { applyPending, MIGRATIONS_TABLE_SQL } from '../sql/migrate.js';
import { sendNow, type SendChecks, type SqlRow, type SqlRunner, type SqlValue } from '../sql/runner.js';
import { SqlStore } from '../sql/sql-store.js';
import { SqlTx } from '../sql/sql-tx.js';
import { withRetry } from '../retry.js';
import { isUnavailable } from '../store-errors.js';
import { migrations } from './migrations.js';

const PG_DIALECT = { forUpdate: ' FOR UPDATE', skipLocked: ' FOR UPDATE SKIP LOCKED' };

// Our integers (points, fen, epoch ms, ids) fit in 2^53; read BIGINT as number.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** `?` placeholders → `$1, $2, ...`; statements are cached per text. */
const numbered = new Map<string, string>();
function toPg(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
}

/**
 * Statement names by text. A named statement is parsed and planned once per
 * connection instead of on every call (issue 13: a notification runs about
 * twenty statements). Only row statements are named, and only the first
 * NAMED_MAX texts: a text with a variable IN list is a new statement per
 * length, and every connection keeps what it prepared.
 */
const names = new Map<string, string>();
const NAMED_MAX = 2000;
/**
 * Past this many parameters a text is a long variable list (a report's days,
 * a batch's rows): rarely the same twice, and better planned for its values.
 */
const NAMED_PARAMS_MAX = 40;
const placeholders = (sql: string) => sql.split('?').length - 1;
function nameOf(sql: string): string | undefined {
  let name = names.get(sql);
  if (
    name === undefined &&
    names.size < NAMED_MAX &&
    /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(sql) &&
    placeholders(sql) <= NAMED_PARAMS_MAX
  ) {
    name = `jifen_${names.size}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * A prepared `SELECT *` whose table another server has just migrated (a new
 * column) fails with 0A000, "cached plan must not change result type". The
 * connection is then dropped, not reused, and the work runs again on another
 * (0A000 alone is any "feature not supported": only this message is a stale plan).
 */
const STALE_PLAN = '0A000';
const isStalePlan = (e: unknown) =>
  (e as { code?: string }).code === STALE_PLAN &&
  /cached plan must not change result type/.test((e as { message?: string }).message ?? '');

/** A driver error as the store reports it: a unique key is a UniqueViolation, a lost database STORE_UNAVAILABLE. */
function refined(e: unknown): unknown {
  if ((e as { code?: string }).code === '23505') return new UniqueViolation((e as { detail?: string }).detail ?? '');
  return unavailable(e);
}

/** Runs statements on the pool (plain reads), one at a time. */
class PgRunner implements SqlRunner {
  constructor(
    protected readonly client: pg.Pool | pg.PoolClient,
    private readonly prepare: boolean,
  ) {}
  protected statement(sql: string, params: SqlValue[]): pg.QueryConfig {
    return { name: this.prepare ? nameOf(sql) : undefined, text: toPg(sql), values: params };
  }
  protected async query(sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    const q = this.statement(sql, params);
    // On the pool, a failed query's connection is discarded (pg-pool releases it with the error), so a stale plan
    // is tried again on another connection, at most once per pooled connection.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.query(q);
      } catch (e) {
        if (isStalePlan(e) && this.client instanceof pg.Pool && attempt < this.client.options.max) continue;
        throw refined(e);
      }
    }
  }
  async all(sql: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    return (await this.query(sql, params)).rows as SqlRow[];
  }
  async get(sql: string, params: SqlValue[] = []): Promise<SqlRow | undefined> {
    return (await this.all(sql, params))[0];
  }
  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
  send(sql: string, params?: SqlValue[], checks?: SendChecks): Promise<void> {
    return sendNow(this, sql, params, checks);
  }
}

/**
 * A transaction's statements on one pipelined connection (issue 13: one
 * round trip per statement was most of a notification's time). A write sent
 * with `send` goes on the wire at once and nobody waits for it; its answer
 * arrives before the answer of anything sent after it, so the next awaited
 * statement (or the COMMIT) collects it. The first failure among them is the
 * transaction's: a statement answered after it reports that failure instead
 * of its own (PostgreSQL aborts the transaction at the first error, and
 * answers the rest "current transaction is aborted").
 */
class PgTxRunner extends PgRunner {
  /** Sent writes whose answers have not been collected. */
  private sent: Promise<void>[] = [];
  /** Sent writes with a changed-rows check still unanswered: the COMMIT waits for them. */
  private checking = 0;
  private failure: { error: unknown } | null = null;
  /** The socket is corked: sent writes wait in its buffer for a statement that is waited for. */
  private held = false;

  constructor(
    private readonly tx: pg.PoolClient,
    prepare: boolean,
  ) {
    super(tx, prepare);
  }

  /** BEGIN, pipelined with the transaction's first statement. */
  begin(): void {
    this.hold();
    this.track(this.tx.query('BEGIN'), {});
  }

  override send(sql: string, params: SqlValue[] = [], checks: SendChecks = {}): Promise<void> {
    this.hold();
    this.track(this.tx.query(this.statement(sql, params)), checks);
    return Promise.resolve();
  }

  /**
   * Sent statements stay in the socket's buffer until one is waited for, so
   * one write(2) carries them all: under `--cpu-prof` a third of the
   * server's busy time was writev, one per statement (pg corks each query
   * alone). They leave by the next turn of the event loop whatever happens.
   */
  private hold(): void {
    if (this.held) return;
    this.held = true;
    this.socket.cork();
    setImmediate(() => this.release());
  }

  private release(): void {
    if (!this.held) return;
    this.held = false;
    this.socket.uncork();
  }

  private get socket(): { cork(): void; uncork(): void } {
    return (this.tx as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
  }

  private track(answer: Promise<pg.QueryResult>, checks: SendChecks): void {
    if (checks.changed) this.checking++;
    this.sent.push(
      answer.then(
        (r) => {
          if (checks.changed) this.checking--;
          try {
            checks.changed?.(r.rowCount ?? 0);
          } catch (e) {
            this.failure ??= { error: e };
          }
        },
        (e: unknown) => {
          if (checks.changed) this.checking--;
          const error = refined(e);
          this.failure ??= { error: checks.failed ? checks.failed(error) : error };
        },
      ),
    );
  }

  /** Collects every sent write's answer; throws the transaction's first failure. */
  private async collect(): Promise<void> {
    this.release();
    while (this.sent.length > 0) {
      const sent = this.sent;
      this.sent = [];
      await Promise.all(sent);
    }
    if (this.failure) throw this.failure.error;
  }

  protected override async query(sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    let result: pg.QueryResult;
    try {
      const answer = this.tx.query(this.statement(sql, params));
      this.release(); // what was sent before goes out with it, in one write
      result = await answer;
    } catch (e) {
      await this.collect(); // an earlier write's failure is the cause; this one only says the transaction aborted
      // Its own failure is the transaction's even if the caller swallows it: the commit throws it again.
      this.failure ??= { error: refined(e) };
      throw this.failure.error;
    }
    await this.collect(); // answered already (they were sent first): no wait, but a failure or a failed check throws
    return result;
  }

  /**
   * COMMIT, pipelined behind the sent writes when none has a check left to
   * answer. If one of them failed, PostgreSQL has aborted the transaction
   * and answers this COMMIT with ROLLBACK: the failure is thrown, and the
   * answer's command tag is checked too, so nothing is acknowledged that
   * did not commit.
   */
  async commit(): Promise<void> {
    // A check fails in our code, not on the server, which would commit: nothing is sent past a failure, and
    // nothing while a check is unanswered. (collect throws the failure.)
    if (this.checking > 0 || this.failure) await this.collect();
    const committed = this.tx.query('COMMIT');
    this.release();
    const [writes, commit] = await Promise.allSettled([this.collect(), committed]);
    if (writes.status === 'rejected') throw writes.reason;
    if (commit.status === 'rejected') throw refined(commit.reason);
    if (commit.value.command !== 'COMMIT') throw new Error(`COMMIT was answered ${commit.value.command}`);
  }

  /** Waits out whatever is still on the wire (after a failure), so no answer is left unread. */
  async drain(): Promise<void> {
    this.release();
    await Promise.allSettled(this.sent);
  }
}

const TRANSIENT = new Set(['40001', '40P01']);

function isTransient(e: unknown): boolean {
  return e instanceof VersionConflict || isStalePlan(e) || TRANSIENT.has((e as { code?: string }).code ?? '');
}

const unavailable = (e: unknown): unknown => (isUnavailable(e) ? errors.storeUnavailable() : e);

function openPool(url: string, max: number, pipeline: boolean): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    // A pipelined connection sends a query while earlier ones are still unanswered (PgTxRunner).
    pipeline,
    // Also how long a request may queue for a connection: under a burst on one
    // member, queueing a few seconds beats shedding requests as 503.
    connectionTimeoutMillis: 30_000,
    // Acknowledged means on disk: never let a session turn this off.
    options: '-c synchronous_commit=on',
  });
  pool.on('error', () => undefined); // an idle client died; the next checkout reconnects
  // A checked-out client whose server goes away emits 'error' too, and an
  // 'error' nobody listens to ends the process: every client gets a listener
  // for its whole life. The query in flight fails (503) and the broken client
  // is discarded when released (inTransaction).
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export class PostgresStore extends SqlStore {
  readonly backend = 'postgres' as const;

  /**
   * Raised past a connection's when one of its prepared plans went stale
   * (another server's migration): every transaction connection made before
   * is then retired at checkout, instead of each failing a transaction in
   * turn (the pool hands out its most recent idle connection first).
   */
  private generation = 0;
  private readonly born = new WeakMap<pg.PoolClient, number>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly readPool: pg.Pool,
    private readonly prepare: boolean,
  ) {
    super(new PgRunner(readPool, prepare));
    pool.on('connect', (client) => this.born.set(client, this.generation));
  }

  /**
   * Two pools: transactions on one, plain reads on the other, so a member
   * reading their page never queues behind the writers holding every
   * transaction connection (a read needs no lock and sees committed rows).
   * `prepare: false` sends every statement unnamed, for a pooler in
   * transaction mode that cannot keep a session's prepared statements
   * (PgBouncer before 1.21): JIFEN_PG_PREPARE=off.
   */
  static async open(
    url: string,
    {
      prepare = true,
      poolSize = 8,
      readPoolSize = 4,
    }: { prepare?: boolean; poolSize?: number; readPoolSize?: number } = {},
  ): Promise<PostgresStore> {
    const pool = openPool(url, poolSize, true);
    const store = new PostgresStore(pool, openPool(url, readPoolSize, false), prepare);
    await store.inTransaction(async (db) => {
      // Two servers starting at once must not both migrate.
      await db.run('SELECT pg_advisory_xact_lock(7355608)');
      await db.run(MIGRATIONS_TABLE_SQL);
      await applyPending(db, migrations);
    });
    return store;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withRetry(() => this.inTransaction((db) => fn(new SqlTx(db, PG_DIALECT))), isTransient);
  }

  private async inTransaction<T>(fn: (db: SqlRunner) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
      while ((this.born.get(client) ?? -1) < this.generation) {
        client.release(true); // made before a plan went stale: a fresh connection prepares anew
        client = await this.pool.connect();
      }
    } catch (e) {
      throw unavailable(e);
    }
    let broken: unknown = undefined;
    const db = new PgTxRunner(client, this.prepare);
    try {
      db.begin();
      const result = await fn(db);
      await db.commit();
      return result;
    } catch (e) {
      await db.drain();
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError;
      }
      if (isStalePlan(e)) {
        broken = e; // its prepared statements are of the old schema, and so are its elders'
        this.generation = Math.max(this.generation, (this.born.get(client) ?? 0) + 1);
      }
      throw unavailable(e);
    } finally {
      client.release(broken as Error | undefined);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.readPool.query('SELECT 1');
    } catch {
      throw errors.storeUnavailable();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.readPool.end()]);
  }
}

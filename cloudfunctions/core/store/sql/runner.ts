/**
 * What the SQL backends have in common: statements written once with `?`
 * placeholders, run by a small per-backend runner. Backend folders (sqlite/,
 * postgres/) supply the runner, the dialect bits and the migrations.
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** What a sent write expects of its answer. */
export interface SendChecks {
  /** Throws when the number of rows changed is wrong (a version that moved): the transaction fails with it. */
  changed?: (n: number) => void;
  /** The error the transaction fails with instead of the statement's own. */
  failed?: (e: unknown) => unknown;
}

export interface SqlRunner {
  all(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  get(sql: string, params?: SqlValue[]): Promise<SqlRow | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /**
   * A write whose answer nothing in the transaction reads. PostgreSQL
   * pipelines it (issue 13): it is sent at once and its answer is read with
   * the next statement's or the COMMIT's, so it costs no round trip of its
   * own. A failure, or a check that throws, fails that next statement or
   * the commit: nothing commits past it. SQLite runs it at once.
   */
  send(sql: string, params?: SqlValue[], checks?: SendChecks): Promise<void>;
}

/** `send` for a runner that runs each statement at once (SQLite, and PostgreSQL outside a transaction). */
export async function sendNow(
  runner: Pick<SqlRunner, 'run'>,
  sql: string,
  params: SqlValue[] = [],
  checks: SendChecks = {},
): Promise<void> {
  let changed: number;
  try {
    changed = await runner.run(sql, params);
  } catch (e) {
    throw checks.failed ? checks.failed(e) : e;
  }
  checks.changed?.(changed);
}

export interface Dialect {
  /** Appended to a SELECT that must lock the rows it reads ('' where the whole transaction is serialized). */
  forUpdate: string;
  /** Appended to a queue's claiming SELECT: PostgreSQL skips rows another claimer holds instead of waiting. */
  skipLocked: string;
}

/**
 * What the SQL backends have in common: statements written once with `?`
 * placeholders, run by a small per-backend runner. Backend folders (sqlite/,
 * postgres/) supply the runner, the dialect bits and the migrations.
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlRunner {
  all(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  get(sql: string, params?: SqlValue[]): Promise<SqlRow | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
}

export interface Dialect {
  /** Appended to a SELECT that must lock the rows it reads ('' where the whole transaction is serialized). */
  forUpdate: string;
  /** Appended to a queue's claiming SELECT: PostgreSQL skips rows another claimer holds instead of waiting. */
  skipLocked: string;
}

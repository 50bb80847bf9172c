/**
 * The part of @cloudbase/node-sdk's database API (v3, `tcb.init(...).database()`)
 * that the adapter uses, and nothing more: the in-memory stand-in
 * (memory-db.ts) implements exactly this, so what the tests exercise is what
 * production calls. Shapes follow the SDK at runtime, which differs from its
 * typings in one place: a document read inside a transaction answers
 * `{ data: doc | null }`, outside one `{ data: [doc] }`.
 */

/** A stored document: `_id` is unique per collection and never changes. */
export type Doc = { _id: string } & Record<string, unknown>;
/** What is written: the SDK refuses `_id` in set/update data. */
export type DocData = Record<string, unknown>;

/** The SDK answers errors as `{ code, message }` (or throws a TcbError of that shape). */
export interface SdkResult {
  code?: string;
  message?: string;
  requestId?: string;
}

/** `db.command`: the query operators the adapter's where() conditions use. */
export interface DbCommand {
  eq(value: unknown): unknown;
  neq(value: unknown): unknown;
  lt(value: unknown): unknown;
  lte(value: unknown): unknown;
  gt(value: unknown): unknown;
  gte(value: unknown): unknown;
  in(values: unknown[]): unknown;
  nin(values: unknown[]): unknown;
  /** Every condition on the same field: `_.and(_.gte(a), _.lt(b))` is a range. */
  and(...conditions: unknown[]): unknown;
}

/** Top-level fields ANDed; a value is an exact match (null also matches a missing field) or a command. */
export type Where = Record<string, unknown>;

export interface DbQuery {
  where(condition: Where): DbQuery;
  orderBy(field: string, direction: 'asc' | 'desc'): DbQuery;
  /** The server SDK answers at most 1000 documents a call (100 when no limit is given). */
  limit(n: number): DbQuery;
  skip(n: number): DbQuery;
  get(): Promise<SdkResult & { data?: Doc[] }>;
  count(): Promise<SdkResult & { total?: number }>;
}

export interface DbDocRef {
  get(): Promise<SdkResult & { data?: Doc[] }>;
  /** Replaces the whole document, creating it if absent (upsert). */
  set(data: DocData): Promise<SdkResult & { updated?: number }>;
  /** Changes the given fields of an existing document; `updated: 0` when there is none. */
  update(data: DocData): Promise<SdkResult & { updated?: number }>;
  remove(): Promise<SdkResult & { deleted?: number | string }>;
}

export interface DbCollection extends DbQuery {
  doc(id: string): DbDocRef;
}

/** Inside a transaction only documents addressed by `_id` are transactional. */
export interface TxDocRef {
  get(): Promise<SdkResult & { data?: Doc | null }>;
  set(data: DocData): Promise<SdkResult & { updated?: number }>;
  update(data: DocData): Promise<SdkResult & { updated?: number }>;
  delete(): Promise<SdkResult & { deleted?: number | string }>;
}

export interface DbTransaction {
  collection(name: string): { doc(id: string): TxDocRef };
  /** Fails with DATABASE_TRANSACTION_CONFLICT when a concurrent transaction wrote the same documents. */
  commit(): Promise<SdkResult>;
  rollback(reason?: unknown): Promise<SdkResult>;
}

export interface CloudbaseDb {
  command: DbCommand;
  collection(name: string): DbCollection;
  /** runTransaction() is not used: it retries on its own and swallows the callback's value in older SDKs. */
  startTransaction(): Promise<DbTransaction>;
  createCollection(name: string): Promise<SdkResult>;
}

/** The code CloudBase (and the SDK's own runTransaction retry) uses for a lost write race. */
export const CONFLICT_CODE = 'DATABASE_TRANSACTION_CONFLICT';

export const codeOf = (e: unknown): string =>
  typeof e === 'object' && e !== null ? String((e as { code?: unknown }).code ?? '') : '';

/** A CloudBase failure, shaped like the SDK's TcbError: an Error with `code` and `requestId`. */
export class CloudbaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId = '',
  ) {
    super(message);
    this.name = 'CloudbaseError';
  }
}

/** Many SDK calls answer `{ code }` instead of throwing; the adapter turns those into errors. */
export function checked<T extends SdkResult>(result: T): T {
  if (result.code) throw new CloudbaseError(result.code, result.message ?? result.code, result.requestId);
  return result;
}

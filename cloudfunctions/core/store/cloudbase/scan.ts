/** Reading whole result sets outside transactions, 1000 documents a call (the server SDK's cap). */
import { checked, type DbQuery, type Doc } from './db-api.js';

const PAGE = 1000;

/**
 * The documents the query matches, in its order (then `_id`, so pages neither
 * skip nor repeat), at most `max` (store/limits.ts names them).
 */
export async function allDocs(query: DbQuery, max: number): Promise<Doc[]> {
  const out: Doc[] = [];
  const ordered = query.orderBy('_id', 'asc');
  while (out.length < max) {
    const page = checked(await ordered.skip(out.length).limit(PAGE).get()).data ?? [];
    out.push(...page);
    if (page.length < PAGE) break;
  }
  return out.slice(0, max);
}

/** A row from its document: the adapter's own fields (`_id`, `_lock`, `_seq`, ...) start with `_` and stay behind. */
export function rowOf<T>(doc: Doc): T {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) row[k] = v;
  return row as T;
}

export const rowOrNull = <T>(doc: Doc | null | undefined): T | null => (doc ? rowOf<T>(doc) : null);

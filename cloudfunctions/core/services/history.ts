/** A member's history, newest first, in pages with an opaque cursor. */
import { errors } from '../domain/errors.js';
import { isoInZone } from '../domain/time.js';
import type { EventKind, EventRow, Store } from '../store/port.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface HistoryItem {
  id: string;
  kind: EventKind;
  delta: number;
  balanceAfter: number | null;
  /** Points held after the event: tells holds and releases apart, which move no points. */
  heldAfter: number | null;
  storeId: string | null;
  reason: string | null;
  createdAt: string;
}

export function historyItem(e: EventRow, timeZone: string): HistoryItem {
  return {
    id: String(e.id),
    kind: e.kind,
    delta: e.delta,
    balanceAfter: e.balanceAfter,
    heldAfter: e.heldAfter,
    storeId: e.storeId,
    reason: typeof e.meta.reason === 'string' ? e.meta.reason : null,
    createdAt: isoInZone(e.createdAt, timeZone),
  };
}

const encodeCursor = (beforeId: number) => Buffer.from(`h1:${beforeId}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^h1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw errors.validation('The cursor is not one this server gave out.');
  return Number(match[1]);
}

export async function historyPage(
  store: Store,
  timeZone: string,
  memberId: string,
  cursor: string | undefined,
  limit = DEFAULT_PAGE,
): Promise<{ items: HistoryItem[]; nextCursor: string | null }> {
  const page = await store.history(memberId, cursor ? decodeCursor(cursor) : null, limit);
  return {
    items: page.items.map((e) => historyItem(e, timeZone)),
    nextCursor: page.nextBeforeId === null ? null : encodeCursor(page.nextBeforeId),
  };
}

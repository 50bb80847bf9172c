/**
 * Lots: every credit becomes a lot with an expiry; spending consumes the
 * earliest-expiring lots first (never-expiring last, then oldest first).
 * Invariant kept by postings.ts: the remaining points of an account's lots add
 * up to max(balance, 0): a debt has no lots, a credit repays debt first.
 */
import { assert } from './assert.js';

export interface Lot {
  id: number;
  remaining: number;
  /** Epoch ms after which the lot's remaining points expire; null = never. */
  expiresAt: number | null;
}

/** Points with the expiry they carry: what a spending took from lots, and what a return gives back. */
export interface LotPart {
  points: number;
  expiresAt: number | null;
}

export interface LotTake {
  lotId: number;
  take: number;
  remainingAfter: number;
}

export function byExpiry(a: Lot, b: Lot): number {
  const ax = a.expiresAt ?? Number.POSITIVE_INFINITY;
  const bx = b.expiresAt ?? Number.POSITIVE_INFINITY;
  return ax === bx ? a.id - b.id : ax - bx;
}

/** Take up to `amount` from the lots in expiry order; returns what was taken from each. */
export function consumeLots(lots: readonly Lot[], amount: number): LotTake[] {
  const takes: LotTake[] = [];
  let left = amount;
  for (const lot of [...lots].sort(byExpiry)) {
    if (left === 0) break;
    if (lot.remaining <= 0) continue;
    const take = Math.min(lot.remaining, left);
    takes.push({ lotId: lot.id, take, remainingAfter: lot.remaining - take });
    left -= take;
  }
  return takes;
}

export function sumRemaining(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => sum + lot.remaining, 0);
}

export function expiredLots(lots: readonly Lot[], now: number): Lot[] {
  return lots.filter((lot) => lot.remaining > 0 && lot.expiresAt !== null && lot.expiresAt <= now);
}

/** What `takes` took, grouped by expiry: remembered on a spending so a return can restore the same expiries. */
export function takenParts(lots: readonly Lot[], takes: readonly LotTake[]): LotPart[] {
  const expiryOf = new Map(lots.map((l) => [l.id, l.expiresAt]));
  const byExpiry = new Map<number | null, number>();
  for (const t of takes) {
    assert(expiryOf.has(t.lotId), `lot ${t.lotId} that a plan took from was read`);
    const expiresAt = expiryOf.get(t.lotId) as number | null;
    byExpiry.set(expiresAt, (byExpiry.get(expiresAt) ?? 0) + t.take);
  }
  return [...byExpiry].map(([expiresAt, points]) => ({ points, expiresAt }));
}

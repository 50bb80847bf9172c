/**
 * Persisting a plan: the one place where a member's change becomes an event,
 * double entries, an account update and lot changes, inside one transaction.
 * Lock order is always member account → event key → system shard, so
 * concurrent postings cannot deadlock.
 */
import { shardFor, type AccountState, type SystemAccount } from '../domain/accounts.js';
import { assert } from '../domain/assert.js';
import { errors } from '../domain/errors.js';
import { refuseIfFrozen } from './member-status.js';
import { sumRemaining, takenParts, type LotPart } from '../domain/lots.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import type { BalancePlan } from '../domain/postings.js';
import { DuplicateEvent, type EventKind, type EventRow, type LotRow, type Store, type Tx } from '../store/port.js';

export interface EventKey {
  source: string;
  externalId: string;
  /** Hash of the request body; a replay with another hash is an IDEMPOTENCY_CONFLICT. */
  requestHash?: string | null;
}

export interface MemberPosting {
  key: EventKey;
  kind: EventKind;
  memberId: string;
  /** The system account on the other side; unused when the plan moves no points. */
  counterparty: SystemAccount;
  storeId?: string | null;
  meta?: Record<string, unknown>;
  /** Expiry of the lot a credit creates. */
  lotExpiresAt?: number | null;
  /**
   * A spending or a manual earning: refused with MEMBER_FROZEN for a frozen
   * member. Payments, clawbacks, releases and expiry go on (DESIGN "Freeze").
   */
  refuseFrozen?: boolean;
  /**
   * Whose hash picks the system shard; the member's by default. A
   * transaction that posts for two members names one of them for both, so it
   * locks one shard row instead of two in an order that could deadlock.
   */
  shardOf?: string;
}

/**
 * Plans a posting from the account and, if it takes a second parameter, the
 * account's open lots. A planner of one parameter (a credit, a hold, a
 * release, a return) never looks at lots, so they are not read for it: on
 * the hot path of every payment that is one query fewer.
 */
export type Planner = (account: AccountState, lots: LotRow[]) => BalancePlan;

export async function postToMember(tx: Tx, now: number, p: MemberPosting, planner: Planner): Promise<EventRow> {
  const account = await tx.lockAccount(p.memberId);
  if (!account || account.kind !== 'member') throw errors.notFound('Member');
  if (p.refuseFrozen) await refuseIfFrozen(tx, account.id);
  const lots = planner.length >= 2 ? await tx.openLots(account.id) : null;
  const plan = planner(account, lots ?? []);
  assertPlan(account, lots, plan);
  // A spending remembers the expiries it took, so returning the points later restores them (planReturn).
  const consumed = lots && plan.takes.length > 0 ? { consumed: takenParts(lots, plan.takes) } : {};

  const event = await tx.insertEvent({
    source: p.key.source,
    externalId: p.key.externalId,
    requestHash: p.key.requestHash ?? null,
    kind: p.kind,
    memberId: account.id,
    delta: plan.delta,
    balanceAfter: plan.balanceAfter,
    heldAfter: plan.heldAfter,
    storeId: p.storeId ?? null,
    meta: { ...p.meta, ...consumed },
    createdAt: now,
  });
  if (!event) throw new DuplicateEvent(p.key.source, p.key.externalId);

  if (plan.delta !== 0) {
    const shard = shardFor(p.counterparty, p.shardOf ?? account.id);
    const shardAfter = await tx.addToSystemShard(shard, -plan.delta);
    await tx.insertEntries([
      { eventId: event.id, accountId: account.id, amount: plan.delta, balanceAfter: plan.balanceAfter, createdAt: now },
      { eventId: event.id, accountId: shard, amount: -plan.delta, balanceAfter: shardAfter, createdAt: now },
    ]);
  }
  await tx.updateAccount(account.id, account.version, plan.balanceAfter, plan.heldAfter);
  for (const t of plan.takes) await tx.setLotRemaining(t.lotId, t.remainingAfter);
  if (plan.newLot > 0) {
    await tx.insertLot({
      accountId: account.id,
      eventId: event.id,
      amount: plan.newLot,
      remaining: plan.newLot,
      expiresAt: p.lotExpiresAt ?? null,
      createdAt: now,
    });
  }
  for (const part of plan.returnedLots) {
    await tx.insertLot({
      accountId: account.id,
      eventId: event.id,
      amount: part.points,
      remaining: part.points,
      expiresAt: part.expiresAt,
      createdAt: now,
    });
  }
  return event;
}

/**
 * Postconditions of every plan: the ledger's invariants, checked before
 * anything is written. The lots must add up to the positive balance after a
 * posting that read them; one that did not read them cannot have taken any.
 */
function assertPlan(account: AccountState, lots: LotRow[] | null, plan: BalancePlan): void {
  assert(plan.balanceAfter === account.balance + plan.delta, 'balance after = balance + delta');
  assert(plan.heldAfter >= 0, 'held never goes below zero');
  assert(plan.delta >= 0 || plan.heldAfter <= account.held, 'a debit never adds to what is held');
  if (lots === null) {
    assert(plan.takes.length === 0, 'a plan made without the lots takes from none');
    return;
  }
  const lotsAfter =
    sumRemaining(lots) -
    plan.takes.reduce((sum, t) => sum + t.take, 0) +
    plan.newLot +
    plan.returnedLots.reduce((sum, p) => sum + p.points, 0);
  assert(
    lotsAfter === Math.max(0, plan.balanceAfter),
    `open lots (${lotsAfter}) equal the positive balance (${plan.balanceAfter}) after a posting`,
  );
}

export interface Posted<T> {
  result: T;
  /** True when the key was seen before and nothing was written. */
  replayed: boolean;
}

/**
 * Exactly once per key: a replay returns what the first success recorded and
 * writes nothing. The read first is only a fast path; the unique key in the
 * schema is what decides, and a lost race rolls back and replays.
 */
export async function once<T>(
  store: Store,
  key: EventKey,
  write: (tx: Tx) => Promise<EventRow>,
  present: (event: EventRow) => Promise<T> | T,
): Promise<Posted<T>> {
  const replay = async (): Promise<Posted<T> | null> => {
    const existing = await store.findEvent(key.source, key.externalId);
    if (!existing) return null;
    if ((key.requestHash ?? null) !== existing.requestHash) throw errors.idempotencyConflict();
    return { result: await present(existing), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const event = await store.transaction(write);
    return { result: await present(event), replayed: false };
  } catch (e) {
    // A concurrent request with the same key may have won, and this attempt
    // then failed on the state it left (a duplicate key, a hold already
    // captured, ...): the answer is the winner's result.
    const raced = await replay();
    if (!raced) throw e;
    return raced;
  }
}

/**
 * The points a spending event took and the expiries they had (postToMember
 * recorded them), for giving them back. Spendings recorded before expiries
 * were kept fall back to the expiry a credit made at the spending would get.
 */
export function spentParts(event: EventRow, policy: ExpiryPolicy): LotPart[] {
  const points = -event.delta;
  assert(points > 0, `event ${event.id} took points`);
  const recorded = event.meta.consumed;
  if (!Array.isArray(recorded)) return [{ points, expiresAt: lotExpiry(event.createdAt, policy) }];
  const parts = recorded.map((p: { points?: unknown; expiresAt?: unknown }) => {
    assert(Number.isSafeInteger(p.points) && (p.points as number) > 0, `event ${event.id} recorded whole points`);
    assert(p.expiresAt === null || Number.isSafeInteger(p.expiresAt), `event ${event.id} recorded an expiry`);
    return { points: p.points as number, expiresAt: p.expiresAt as number | null };
  });
  assert(
    parts.reduce((sum, p) => sum + p.points, 0) === points,
    `event ${event.id} recorded where all its ${points} points came from`,
  );
  return parts;
}

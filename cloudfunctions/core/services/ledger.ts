/**
 * Ledger operations on a member's points. Each is one transaction, exactly
 * once per key (posting.ts), with the rules from domain/postings.ts.
 */
import { present } from '../domain/assert.js';
import type { SystemAccount } from '../domain/accounts.js';
import { errors } from '../domain/errors.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import {
  planCapture,
  planClawback,
  planCredit,
  planDebit,
  planExpiry,
  planHold,
  planRelease,
  planReturn,
} from '../domain/postings.js';
import type { AuditRow, EventKind, EventRow, HoldRow, Store, Tx } from '../store/port.js';
import { newId } from './ids.js';
import { once, postToMember, spentParts, type EventKey, type Posted } from './posting.js';

export interface LedgerDeps {
  store: Store;
  clock: () => number;
  expiry: ExpiryPolicy;
}

export interface Movement {
  key: EventKey;
  memberId: string;
  points: number;
  kind: EventKind;
  counterparty: SystemAccount;
  storeId?: string | null;
  meta?: Record<string, unknown>;
  /** Refused for a frozen member (postToMember). */
  refuseFrozen?: boolean;
  /**
   * A manual action's audit row, written in the same transaction as the
   * event, with the balance before and after added.
   */
  audit?: Omit<AuditRow, 'createdAt'>;
}

/** Writes a movement's audit row (if it has one) beside its event. */
async function audited(tx: Tx, now: number, m: Movement, event: EventRow): Promise<EventRow> {
  if (!m.audit) return event;
  const after = event.balanceAfter ?? 0;
  await tx.insertAudit({
    ...m.audit,
    detail: { ...m.audit.detail, before: { balance: after - event.delta }, after: { balance: after } },
    createdAt: now,
  });
  return event;
}

const asIs = (event: EventRow) => event;

export class Ledger {
  constructor(private readonly deps: LedgerDeps) {}

  /** Points in: earnings, bonuses, grants. Repays debt first; the rest becomes a lot. */
  credit(m: Movement): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    return once(
      this.deps.store,
      m.key,
      async (tx) =>
        audited(
          tx,
          now,
          m,
          await postToMember(tx, now, { ...m, lotExpiresAt: lotExpiry(now, this.deps.expiry) }, (a) =>
            planCredit(a, m.points),
          ),
        ),
      asIs,
    );
  }

  /**
   * Spent points coming back (a refunded till payment): each part keeps the
   * expiry it had when `spent` took it, so a return never extends a lot's life.
   */
  giveBack(
    m: Omit<Movement, 'points'>,
    spent: EventRow,
    audit?: Omit<AuditRow, 'createdAt'>,
  ): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    const parts = spentParts(spent, this.deps.expiry);
    return once(
      this.deps.store,
      m.key,
      async (tx) => {
        const event = await postToMember(tx, now, m, (a) => planReturn(a, parts));
        if (audit) await tx.insertAudit({ ...audit, createdAt: now });
        return event;
      },
      asIs,
    );
  }

  /** Points out, guarded: refused with INSUFFICIENT_POINTS rather than overdrawn. */
  debit(m: Movement): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    return once(
      this.deps.store,
      m.key,
      async (tx) => audited(tx, now, m, await postToMember(tx, now, m, (a, lots) => planDebit(a, lots, m.points))),
      asIs,
    );
  }

  /** Refund clawback: takes the points back even if that leaves a debt. */
  clawback(m: Movement): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    return once(
      this.deps.store,
      m.key,
      (tx) => postToMember(tx, now, m, (a, lots) => planClawback(a, lots, m.points)),
      asIs,
    );
  }

  /** Reserve points for the till: available drops, the balance does not. */
  hold(m: Omit<Movement, 'kind' | 'counterparty'> & { ttlMs: number }): Promise<Posted<HoldRow>> {
    const now = this.deps.clock();
    const holdId = newId('h');
    return once(
      this.deps.store,
      m.key,
      async (tx) => {
        const event = await postToMember(
          tx,
          now,
          { ...m, kind: 'hold', counterparty: 'redeemed', meta: { ...m.meta, holdId, points: m.points } },
          (a) => planHold(a, m.points),
        );
        const hold = { id: holdId, accountId: m.memberId, amount: m.points, expiresAt: now + m.ttlMs };
        await tx.insertHold({ ...hold, status: 'open', createdAt: now, updatedAt: now });
        return event;
      },
      (event) => this.holdOf(event),
    );
  }

  /**
   * Take up to the held points for good; what is left of the hold is freed.
   * `guard` sees the hold under its member's lock and may refuse (store scope).
   */
  capture(c: {
    key: EventKey;
    holdId: string;
    points: number;
    storeId?: string | null;
    guard?: (hold: HoldRow) => void;
  }): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    return once(
      this.deps.store,
      c.key,
      async (tx) => {
        const hold = await lockOpenHold(tx, c.holdId);
        c.guard?.(hold);
        if (hold.expiresAt <= now) throw errors.expired('HOLD_EXPIRED', 'This hold has expired; ask for a new code.');
        const event = await postToMember(
          tx,
          now,
          {
            key: c.key,
            kind: 'capture',
            memberId: hold.accountId,
            counterparty: 'redeemed',
            storeId: c.storeId,
            meta: { holdId: hold.id, held: hold.amount },
            refuseFrozen: true,
          },
          (a, lots) => planCapture(a, lots, hold.amount, c.points),
        );
        await tx.setHoldStatus(hold.id, 'captured', now);
        return event;
      },
      asIs,
    );
  }

  /** Void a hold: its points become available again. `guard` may refuse, as for capture. */
  release(r: {
    key: EventKey;
    holdId: string;
    reason: string;
    guard?: (hold: HoldRow) => void;
  }): Promise<Posted<EventRow>> {
    const now = this.deps.clock();
    return once(this.deps.store, r.key, (tx) => this.releaseIn(tx, now, r.key, r.holdId, r.reason, r.guard), asIs);
  }

  /**
   * The expiry job for one member: frees holds past their TTL, then expires
   * lots past their date. Safe to re-run: what it consumed is gone.
   */
  async expire(memberId: string): Promise<EventRow[]> {
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      const done: EventRow[] = [];
      // The member first: holds change only under their member's lock.
      const account = await tx.lockAccount(memberId);
      if (!account) throw errors.notFound('Member');
      for (const hold of await tx.expiredHolds(memberId, now)) {
        done.push(await this.releaseIn(tx, now, { source: 'hold-expiry', externalId: hold.id }, hold.id, 'expired'));
      }
      // Releasing holds changed the account: plan on what it is now.
      const current = present(await tx.lockAccount(memberId), 'the account locked above still exists');
      if (planExpiry(current, await tx.openLots(memberId), now)) {
        done.push(
          await postToMember(
            tx,
            now,
            {
              key: { source: 'expiry', externalId: `${memberId}@${now}` },
              kind: 'expire',
              memberId,
              counterparty: 'expired',
            },
            (a, l) => present(planExpiry(a, l, now), 'the expiry planned above is still due under the same lock'),
          ),
        );
      }
      return done;
    });
  }

  private async releaseIn(
    tx: Tx,
    now: number,
    key: EventKey,
    holdId: string,
    reason: string,
    guard?: (hold: HoldRow) => void,
  ): Promise<EventRow> {
    const hold = await lockOpenHold(tx, holdId);
    guard?.(hold);
    const event = await postToMember(
      tx,
      now,
      { key, kind: 'release', memberId: hold.accountId, counterparty: 'redeemed', meta: { holdId, reason } },
      (a) => planRelease(a, hold.amount),
    );
    await tx.setHoldStatus(holdId, 'released', now);
    return event;
  }

  private async holdOf(event: EventRow): Promise<HoldRow> {
    const hold = await this.deps.store.getHold(String(event.meta.holdId));
    if (!hold) throw errors.notFound('Hold');
    return hold;
  }
}

/**
 * An open hold, read under its member's lock (taken first, as every posting
 * does, so lock order stays member → rest and cannot deadlock). Every writer
 * of a hold goes through here: the ledger's capture and release, the till's scan.
 */
export async function lockOpenHold(tx: Tx, holdId: string): Promise<HoldRow> {
  const peek = await tx.getHold(holdId);
  if (!peek) throw errors.notFound('Hold');
  await tx.lockAccount(peek.accountId);
  const hold = present(await tx.getHold(holdId), 'a hold read before its lock still exists');
  if (hold.status !== 'open') throw errors.conflict('HOLD_CLOSED', `This hold was already ${hold.status}.`);
  return hold;
}

/**
 * Pay with points at the till (real-time deduction). The member asks for a
 * dynamic code: a hold on N points (or as many as available) with a short
 * TTL, shown as a numeric barcode / QR that changes on refresh. The cashier
 * scans it with the order: the points the bill allows (cash rule: N points =
 * 1 yuan, at most a share of the bill) are captured, once per order number;
 * the rest of the hold is freed. Void releases; expiry releases (the sweep);
 * refunding the order returns the points.
 */
import type { RiskWatch } from './risk-watch.js';
import { present } from '../domain/assert.js';
import { randomInt } from 'node:crypto';
import { available } from '../domain/accounts.js';
import { errors } from '../domain/errors.js';
import type { HoldRow, Store } from '../store/port.js';
import { DAY_MS } from '../domain/time.js';
import { lockOpenHold, type Ledger } from './ledger.js';
import { refuseIfFrozen } from './member-status.js';
import { payCodeImages } from './code-images.js';
import { requestHash } from './request-hash.js';
import type { Caller } from './staff.js';

export const PAY_CODE_TTL_MS = 120_000;

export interface CashRule {
  /** How many points make one yuan off the bill. */
  pointsPerYuan: number;
  /** The largest share of a bill points may pay, in basis points (5000 = 50%). */
  maxShareBps: number;
}

/** 18 digits like the wallets' payment codes; '66' marks ours; 16 random digits. */
export function newPayCode(): string {
  let digits = '66';
  while (digits.length < 18) digits += String(randomInt(10));
  return digits;
}

/** The most points a bill of `amountFen` accepts under the cash rule (exact integers). */
export function maxPointsForBill(amountFen: number, rule: CashRule): number {
  return Math.floor((amountFen * rule.maxShareBps * rule.pointsPerYuan) / 1_000_000);
}

export const discountFen = (points: number, rule: CashRule) => Math.floor((points * 100) / rule.pointsPerYuan);

/** A till may touch a code no store has scanned yet, or one its own store scanned; HQ any. */
function assertTillMay(caller: Caller, hold: HoldRow): void {
  if (caller.storeId !== null && hold.storeId && hold.storeId !== caller.storeId) {
    throw errors.forbidden("This code is being used at another store's till.");
  }
}

export interface TillDeps {
  store: Store;
  clock: () => number;
  ledger: Ledger;
  cash: CashRule;
  /** How long after a capture a store may refund it (0 = no limit). */
  refundWindowDays: number;
  /** Told of each capture, after the commit (risk alerts); absent, nobody is. */
  risk?: Pick<RiskWatch, 'captured'>;
}

export class Till {
  constructor(private readonly deps: TillDeps) {}

  async createCode(memberId: string, points: number | null) {
    const { store, ledger } = this.deps;
    const account = await store.getAccount(memberId);
    if (!account) throw errors.notFound('Member');
    const amount = points ?? Math.max(0, available(account));
    if (amount <= 0) throw errors.insufficientPoints(0, 1);
    const { result: hold } = await ledger.hold({
      key: { source: `member:${memberId}`, externalId: `pay:${holdNonce()}` },
      memberId,
      points: amount,
      ttlMs: PAY_CODE_TTL_MS,
      refuseFrozen: true,
    });
    const code = newPayCode();
    await store.transaction((tx) => tx.setPayCode(hold.id, memberId, code, this.deps.clock()));
    return { holdId: hold.id, code, ...(await payCodeImages(code)), points: amount, expiresAt: hold.expiresAt };
  }

  /** A new code for the same hold, and another TTL; the old code stops working. */
  async refresh(memberId: string, holdId: string) {
    const now = this.deps.clock();
    const code = newPayCode();
    const expiresAt = now + PAY_CODE_TTL_MS;
    const points = await this.deps.store.transaction(async (tx) => {
      await tx.lockAccount(memberId);
      await refuseIfFrozen(tx, memberId);
      const hold = await tx.getHold(holdId);
      if (!hold || hold.accountId !== memberId) throw errors.notFound('Pay code');
      if (hold.status !== 'open') throw errors.conflict('HOLD_CLOSED', `This code was already ${hold.status}.`);
      if (hold.expiresAt <= now) throw errors.expired('HOLD_EXPIRED', 'This code has expired; ask for a new one.');
      await tx.setPayCode(holdId, memberId, code, now);
      await tx.setHoldExpiry(holdId, expiresAt, now);
      return hold.amount;
    });
    return { holdId, code, ...(await payCodeImages(code)), points, expiresAt };
  }

  async status(memberId: string, holdId: string) {
    const hold = await this.deps.store.getHold(holdId);
    if (!hold || hold.accountId !== memberId) throw errors.notFound('Pay code');
    const expired = hold.status === 'open' && hold.expiresAt <= this.deps.clock();
    return {
      holdId,
      status: expired ? ('expired' as const) : hold.status,
      points: hold.amount,
      expiresAt: hold.expiresAt,
    };
  }

  /**
   * The till scans a member's code: it learns what the code holds, and the
   * code becomes this store's (only it may void it; another store's capture
   * is refused). HQ may scan any code without taking it.
   */
  async scan(caller: Caller, code: string) {
    const now = this.deps.clock();
    const holdId = await this.holdOfCode(code);
    const hold = await this.deps.store.transaction(async (tx) => {
      const held = await lockOpenHold(tx, holdId);
      assertTillMay(caller, held);
      if (held.expiresAt <= now) throw errors.expired('HOLD_EXPIRED', 'This code has expired; ask for a new one.');
      if (caller.storeId !== null && !held.storeId) await tx.setHoldStore(holdId, caller.storeId, now);
      return held;
    });
    return { holdId, points: hold.amount, expiresAt: hold.expiresAt, status: 'open' as const };
  }

  async capture(caller: Caller, input: { code: string; orderNo: string; amountFen: number }) {
    const { store, ledger, cash } = this.deps;
    const holdId = await this.holdOfCode(input.code);
    const hold = present(await store.getHold(holdId), 'the hold of a pay code exists');
    const points = Math.min(hold.amount, maxPointsForBill(input.amountFen, cash));
    if (points <= 0) throw errors.validation('This bill is too small to pay any of it with points.');
    const posted = await ledger.capture({
      key: {
        source: `checkout:${caller.storeId ?? 'HQ'}`,
        externalId: input.orderNo,
        requestHash: requestHash({ code: input.code, amountFen: input.amountFen }),
      },
      holdId,
      points,
      storeId: caller.storeId,
      guard: (held) => assertTillMay(caller, held),
    });
    const captured = -posted.result.delta;
    if (!posted.replayed) await this.deps.risk?.captured(caller.storeId, caller.id);
    return {
      orderNo: input.orderNo,
      points: captured,
      discountFen: discountFen(captured, cash),
      replayed: posted.replayed,
    };
  }

  /** A till voids a code its own store scanned; HQ any. Unscanned codes are the member's to void. */
  async void(caller: Caller, code: string) {
    const holdId = await this.holdOfCode(code);
    await this.deps.ledger.release({
      key: { source: 'checkout-void', externalId: holdId },
      holdId,
      reason: 'void',
      guard: (held) => {
        if (caller.storeId !== null && held.storeId !== caller.storeId) {
          throw errors.forbidden('Only the store whose till scanned this code may void it.');
        }
      },
    });
    return { holdId, status: 'released' as const };
  }

  /** The member cancels their own code: the held points are free again at once. */
  async voidOwn(memberId: string, holdId: string) {
    await this.deps.ledger.release({
      key: { source: 'checkout-void', externalId: holdId },
      holdId,
      reason: 'cancelled',
      guard: (held) => {
        if (held.accountId !== memberId) throw errors.notFound('Pay code');
      },
    });
    return { holdId, status: 'released' as const };
  }

  /**
   * The order was refunded: the points it took go back to the member, once,
   * with the expiries they had. A store manager of the capturing store (or
   * HQ) may do it, within the refund window, and it is audited.
   */
  async refundOrder(caller: Caller, input: { orderNo: string; storeId?: string; reason?: string }) {
    if (caller.role === 'cashier') {
      throw errors.forbidden('Refunding a points payment needs a store manager or HQ.');
    }
    // Staff refund their own store's orders; HQ names the store the order was paid at.
    const source = `checkout:${caller.storeId ?? input.storeId ?? 'HQ'}`;
    const capture = await this.deps.store.findEvent(source, input.orderNo);
    if (!capture?.memberId) throw errors.notFound('Points payment for this order');
    const windowMs = this.deps.refundWindowDays * DAY_MS;
    if (windowMs > 0 && capture.createdAt + windowMs <= this.deps.clock()) {
      throw errors.expired(
        'REFUND_WINDOW_CLOSED',
        `Points payments can be refunded at the till for ${this.deps.refundWindowDays} days; ask HQ to adjust by hand.`,
      );
    }
    const points = -capture.delta;
    const reason = input.reason ?? '订单退款，积分已退回';
    await this.deps.ledger.giveBack(
      {
        key: { source: 'checkout-refund', externalId: `${source}:${input.orderNo}` },
        memberId: capture.memberId,
        kind: 'refund',
        counterparty: 'redeemed',
        storeId: capture.storeId,
        meta: { orderNo: input.orderNo, reason, by: caller.id },
      },
      capture,
      {
        actor: caller.id,
        action: 'till.refund',
        subject: capture.memberId,
        detail: { orderNo: input.orderNo, storeId: capture.storeId, points, reason, role: caller.role },
      },
    );
    return { orderNo: input.orderNo, points };
  }

  private async holdOfCode(code: string): Promise<string> {
    const holdId = await this.deps.store.transaction((tx) => tx.holdOfPayCode(code));
    if (!holdId) throw errors.notFound('Pay code (it may have been refreshed)');
    return holdId;
  }
}

// Each code request is its own hold: a nonce keys it.
const holdNonce = () => `${Date.now().toString(36)}${randomInt(1e9).toString(36)}`;

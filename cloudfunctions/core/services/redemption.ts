/**
 * One-tap redemption: in one transaction, check the member, the reward, the
 * limits and the stock, take the points (lots FIFO) and issue a voucher.
 * The same requestId gives the same voucher. Above the review threshold the
 * points are held and the voucher waits for an operator. Lock order: member,
 * then (limited stock only) the reward row, taken by the guarded decrement.
 */
import type { RiskWatch } from './risk-watch.js';
import { present } from '../domain/assert.js';
import { randomBytes } from 'node:crypto';
import { qrOf } from './code-images.js';
import { errors } from '../domain/errors.js';
import { planCapture, planDebit, planHold, planRelease, planReturn } from '../domain/postings.js';
import type { ExpiryPolicy } from '../domain/expiry.js';
import { assertRedeemable, periodStart, refusals, type Reward } from '../domain/rewards.js';
import { DAY_MS } from '../domain/time.js';
import { tierFor } from '../domain/tiers.js';
import type { EventRow, Store, Tx, VoucherRow } from '../store/port.js';
import { newId } from './ids.js';
import { EVERY_TOPIC, type OutboxWriter } from './outbox-writer.js';
import { once, postToMember, spentParts } from './posting.js';
import { requestHash } from './request-hash.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 12 characters, 60 random bits: short enough to type at a till, too many to guess. */
export const newVoucherCode = () => Array.from(randomBytes(12), (b) => CODE_ALPHABET[b & 31]).join('');

// Points in review stay held until an operator decides; the hold sweep must not release them.
const REVIEW_HOLD_MS = 3650 * DAY_MS;

export interface RedemptionPolicy {
  /** Redemptions costing at least this many points wait for an operator; 0 = never. */
  reviewThreshold: number;
  /** Points a member may redeem per business day; 0 = no cap. */
  dailyCap: number;
  timeZone: string;
}

/** Vouchers one list shows, newest first. */
export const VOUCHERS_PAGE_MAX = 100;

export interface VoucherView {
  id: string;
  code: string;
  /** The code as a QR (SVG data URL), drawn only for one usable voucher: lists carry null. */
  qr: string | null;
  rewardId: string;
  rewardName: string;
  points: number;
  status: VoucherRow['status'];
  expiresAt: number | null;
  createdAt: number;
}

export class Redemptions {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      policy: RedemptionPolicy;
      expiry: ExpiryPolicy;
      /** Which outbox messages to write; every one when absent. */
      outbox?: OutboxWriter;
      /** Told of each redemption, after the commit (risk alerts); absent, nobody is. */
      risk?: Pick<RiskWatch, 'redeemed'>;
    },
  ) {}

  async redeem(memberId: string, rewardId: string, requestId: string) {
    const now = this.deps.clock();
    const key = {
      source: `member:${memberId}`,
      externalId: `redeem:${requestId}`,
      requestHash: requestHash({ rewardId }),
    };
    const posted = await once(
      this.deps.store,
      key,
      (tx) => this.redeemIn(tx, memberId, rewardId, key, now),
      (e) => this.voucherOf(e),
    );
    if (!posted.replayed) await this.deps.risk?.redeemed(memberId, posted.result.points);
    return posted;
  }

  private async redeemIn(
    tx: Tx,
    memberId: string,
    rewardId: string,
    key: { source: string; externalId: string; requestHash: string },
    now: number,
  ): Promise<EventRow> {
    const { policy } = this.deps;
    const member = await tx.getMember(memberId);
    if (!member) throw errors.notFound('Member');
    if (member.status === 'frozen') throw errors.memberFrozen();
    const account = present(await tx.lockAccount(memberId), 'every member has an account');
    if (account.balance < 0) throw refusals.inDebt();
    const reward = await tx.getReward(rewardId);
    if (!reward) throw errors.notFound('Reward');
    // The tier the member holds (upgrades are immediate; a downgrade waits for the period's end).
    assertRedeemable(reward, member.tier ?? tierFor(member.growth).code, now);
    const limit = reward.spec.perMember;
    if (
      limit &&
      (await tx.redeemedSince(memberId, rewardId, periodStart(limit.period, now, policy.timeZone))).count >= limit.count
    ) {
      throw refusals.limitReached();
    }
    if (policy.dailyCap > 0) {
      const today = await tx.redeemedSince(memberId, null, periodStart('day', now, policy.timeZone));
      if (today.points + reward.pointsCost > policy.dailyCap) throw refusals.dailyCap();
    }
    // Unlimited rewards never touch the reward row: no hot row for the popular ones.
    if (reward.stock !== null && !(await tx.takeStock(rewardId))) throw refusals.outOfStock();

    const review = policy.reviewThreshold > 0 && reward.pointsCost >= policy.reviewThreshold;
    const voucherId = newId('v');
    const holdId = review ? newId('h') : null;
    const meta = { voucherId, rewardId, reason: reward.name, ...(holdId ? { holdId } : {}) };
    const event = await postToMember(
      tx,
      now,
      { key, kind: review ? 'hold' : 'redeem', memberId, counterparty: 'redeemed', meta },
      (a, lots) => (review ? planHold(a, reward.pointsCost) : planDebit(a, lots, reward.pointsCost)),
    );
    if (holdId) {
      await tx.insertHold({
        id: holdId,
        accountId: memberId,
        amount: reward.pointsCost,
        status: 'open',
        expiresAt: now + REVIEW_HOLD_MS,
        createdAt: now,
        updatedAt: now,
      });
    }
    await tx.insertVoucher({
      id: voucherId,
      code: newVoucherCode(),
      memberId,
      rewardId,
      eventId: event.id,
      points: reward.pointsCost,
      status: review ? 'pending_review' : 'issued',
      holdId,
      storeId: reward.spec.storeIds?.length === 1 ? reward.spec.storeIds[0]! : null,
      expiresAt: reward.spec.voucherDays ? now + reward.spec.voucherDays * DAY_MS : null,
      usedAt: null,
      usedStoreId: null,
      createdAt: now,
      updatedAt: now,
    });
    if (!review) {
      await (this.deps.outbox ?? EVERY_TOPIC).add(tx, {
        topic: 'points.redeemed',
        memberId,
        payload: { points: reward.pointsCost, rewardName: reward.name, voucherId },
        createdAt: now,
      });
    }
    return event;
  }

  /** An operator's decision on a redemption in review: capture the held points, or release them. */
  async review(actor: string, voucherId: string, approve: boolean): Promise<VoucherView> {
    const now = this.deps.clock();
    // Who it belongs to, read first, so the member's account is locked before the voucher (the lock order).
    const peek = await this.deps.store.getVoucher(voucherId);
    if (!peek) throw errors.notFound('Voucher');
    await this.deps.store.transaction(async (tx) => {
      await tx.lockAccount(peek.memberId);
      const v = present(await tx.lockVoucher(voucherId), 'a voucher read before its transaction still exists');
      if (v.status !== 'pending_review' || !v.holdId)
        throw errors.conflict('NOT_IN_REVIEW', `This voucher is ${v.status}, not in review.`);
      const hold = present(await tx.getHold(v.holdId), 'a voucher in review has its hold');
      const audit = {
        actor,
        action: approve ? 'redemption.approve' : 'redemption.reject',
        subject: voucherId,
        detail: { points: v.points },
        createdAt: now,
      };
      if (hold.status !== 'open') {
        // The held points are gone already (released by hand): it can only be rejected, with nothing to release.
        if (approve) throw errors.conflict('NOT_IN_REVIEW', `The held points were already ${hold.status}.`);
        await tx.returnStock(v.rewardId);
        await tx.saveVoucher({ ...v, status: 'rejected', updatedAt: now });
        await tx.insertAudit(audit);
        return;
      }
      // Stock before the posting: redeem takes reward → shard, so must everyone (no deadlock).
      if (!approve) await tx.returnStock(v.rewardId);
      const event = await postToMember(
        tx,
        now,
        {
          key: { source: 'review', externalId: voucherId },
          kind: approve ? 'redeem' : 'release',
          memberId: v.memberId,
          counterparty: 'redeemed',
          meta: { voucherId, holdId: hold.id, by: actor, reason: approve ? '兑换审核通过' : '兑换审核未通过' },
          refuseFrozen: approve,
        },
        (a, lots) => (approve ? planCapture(a, lots, hold.amount, hold.amount) : planRelease(a, hold.amount)),
      );
      await tx.setHoldStatus(hold.id, approve ? 'captured' : 'released', now);
      await tx.saveVoucher({ ...v, status: approve ? 'issued' : 'rejected', eventId: event.id, updatedAt: now });
      await tx.insertAudit(audit);
    });
    return this.view(present(await this.deps.store.getVoucher(voucherId), 'a voucher just written exists'));
  }

  /**
   * Cancelling an unused voucher gives its points back, each with the expiry
   * it had when redeemed (so cancelling cannot launder expiring points), and
   * its stock back. An expired voucher is refused with 410 (and marked expired).
   */
  async cancel(memberId: string, voucherId: string): Promise<VoucherView> {
    const now = this.deps.clock();
    const cancelled = await this.deps.store.transaction(async (tx) => {
      await tx.lockAccount(memberId);
      const v = await tx.lockVoucher(voucherId);
      if (!v || v.memberId !== memberId) throw errors.notFound('Voucher');
      if (v.status !== 'issued')
        throw errors.conflict('VOUCHER_NOT_CANCELLABLE', `A ${v.status} voucher cannot be cancelled.`);
      if (v.expiresAt !== null && v.expiresAt <= now) {
        await tx.saveVoucher({ ...v, status: 'expired', updatedAt: now });
        return false;
      }
      const spent = present(await tx.getEvent(memberId, v.eventId), "an issued voucher's spending event exists");
      const parts = spentParts(spent, this.deps.expiry);
      await tx.returnStock(v.rewardId); // before the posting's shard, in redeem's lock order
      await postToMember(
        tx,
        now,
        {
          key: { source: 'voucher-cancel', externalId: voucherId },
          kind: 'refund',
          memberId,
          counterparty: 'redeemed',
          meta: { voucherId, reason: '取消兑换，积分已退回' },
        },
        (a) => planReturn(a, parts),
      );
      await tx.saveVoucher({ ...v, status: 'cancelled', updatedAt: now });
      return true;
    });
    // Marking it expired is kept (committed); the answer is still a refusal.
    if (!cancelled) throw errors.expired('VOUCHER_EXPIRED', 'This voucher has expired and can no longer be returned.');
    return this.view(present(await this.deps.store.getVoucher(voucherId), 'a voucher just written exists'));
  }

  /** A member's vouchers without their QR codes (drawing one costs a millisecond or more; a list can hold 100). */
  async list(memberId: string): Promise<VoucherView[]> {
    const rows = await this.deps.store.memberVouchers(memberId, VOUCHERS_PAGE_MAX);
    // Each reward the list names, read once (a member's vouchers name a few rewards, the catalog holds hundreds).
    const ids = [...new Set(rows.map((v) => v.rewardId))];
    const rewards = new Map(
      await Promise.all(ids.map(async (id) => [id, await this.deps.store.getReward(id)] as const)),
    );
    return Promise.all(rows.map((v) => this.view(v, { qr: false, reward: rewards.get(v.rewardId) ?? null })));
  }

  /** One of the member's vouchers, with its QR while it can be used. */
  async one(memberId: string, voucherId: string): Promise<VoucherView> {
    const v = await this.deps.store.getVoucher(voucherId);
    if (!v || v.memberId !== memberId) throw errors.notFound('Voucher');
    return this.view(v);
  }

  async view(v: VoucherRow, opts: { qr?: boolean; reward?: Reward | null } = {}): Promise<VoucherView> {
    const r = opts.reward !== undefined ? opts.reward : await this.deps.store.getReward(v.rewardId);
    return {
      id: v.id,
      code: v.code,
      qr: (opts.qr ?? true) && v.status === 'issued' ? await qrOf(v.code) : null,
      rewardId: v.rewardId,
      rewardName: r?.name ?? '',
      points: v.points,
      status: v.status,
      expiresAt: v.expiresAt,
      createdAt: v.createdAt,
    };
  }

  private async voucherOf(event: EventRow): Promise<VoucherView> {
    const v = await this.deps.store.getVoucher(String(event.meta.voucherId));
    if (!v) throw errors.notFound('Voucher');
    return this.view(v);
  }
}

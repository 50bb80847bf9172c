/**
 * Payments become points, refunds take them back: channel-agnostic, one
 * transaction per notification, with the notification's audit row and the
 * outbox message written in the same transaction as the points.
 *
 * Exactly once: every notification of an order first locks the order's
 * payment row (created 'pending' by whichever arrives first), so a payment,
 * its replays and its refunds serialize; refunds are unique per refund key.
 * Lock order (store/lock-order.ts): order → payment → ticket → payer link →
 * member accounts → system shard (refunds take no order lock: they never
 * touch tickets). Who the points go to is services/order-attribution.ts's rule.
 */
import { clawbackTarget, growthNet, pointsForPayment } from '../domain/earning.js';
import type { Earned, OrderItem } from '../domain/earning-rules.js';
import type { OrderEarning } from '../services/order-earning.js';
import type { Tiers } from '../services/tiers.js';
import type { ActivityBonuses } from '../services/activity-bonuses.js';
import type { RiskWatch } from '../services/risk-watch.js';
import { linkedMember } from '../domain/payer-links.js';
import { attributeByTicket, type AttributionContext } from '../services/order-attribution.js';
import { memberByOpenid } from '../services/members.js';
import { EVERY_TOPIC, type OutboxWriter } from '../services/outbox-writer.js';
import { postToMember } from '../services/posting.js';
import { planClawback, planCredit } from '../domain/postings.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import {
  storedPayment,
  type Channel,
  type MemberRow,
  type NotificationRow,
  type PayerKind,
  type PaymentRow,
  type Store,
  type Tx,
} from '../store/port.js';

export interface PaymentFact {
  channel: Channel;
  tradeNo: string;
  outTradeNo: string | null;
  appId: string | null;
  /** A member's own openid (our mini-program), or a payer identity waiting for scan-to-bind. */
  payer: { kind: 'member'; openid: string } | { kind: PayerKind; id: string };
  totalFen: number;
  /** What the payer actually paid: points are earned on this. */
  paidFen: number;
  storeId: string | null;
  /** Line items by category when the till reported them (category rules). */
  items?: OrderItem[] | null;
  paidAt: number;
}

export interface RefundFact {
  channel: Channel;
  tradeNo: string;
  refundKey: string;
  amountFen: number;
  /** true: amountFen is the running total refunded (Alipay); false: this refund's own amount (WeChat). */
  cumulative: boolean;
}

export type Audit = Omit<NotificationRow, 'result' | 'receivedAt'>;

export type AccrualResult =
  | 'accrued'
  | 'accrued-unclaimed'
  | 'accrued-claimed'
  | 'paid-no-points'
  | 'duplicate'
  | 'refund-applied'
  | 'refund-pending'
  | 'refund-duplicate';

const paymentId = (channel: Channel, tradeNo: string) => `${channel}:${tradeNo}`;

export class Accruals {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      expiry: ExpiryPolicy;
      /** Claims of one payer by one member before their payer link is active (0 = never link). */
      linkClaims: number;
      /** Which outbox messages to write (services/outbox-writer.ts); every one when absent. */
      outbox?: OutboxWriter;
      /** The earning rules; absent, the base rule (1 point per whole yuan). */
      earning?: OrderEarning;
      /** Growth and tiers; absent, growth is not tracked (tests of the money path alone). */
      tiers?: Tiers;
      /** Counts members' payments and pays referrals on the first; absent, neither. */
      bonuses?: ActivityBonuses;
      /** Told of each member credited, after the commit (risk alerts); absent, nobody is. */
      risk?: Pick<RiskWatch, 'accrued'>;
    },
  ) {}

  /** What the order earns for `memberId` (null: nobody yet), under the active rules. */
  private async evaluate(
    tx: Tx,
    fact: PaymentFact,
    memberId: string | null,
    member?: MemberRow,
  ): Promise<Earned | null> {
    if (!this.deps.earning) return null;
    const order = {
      channel: fact.channel,
      storeId: fact.storeId,
      paidFen: fact.paidFen,
      at: fact.paidAt,
      items: fact.items,
    };
    return this.deps.earning.evaluate(tx, order, memberId, member ? { member } : {});
  }

  private get outbox(): OutboxWriter {
    return this.deps.outbox ?? EVERY_TOPIC;
  }

  async recordPayment(fact: PaymentFact, audit: Audit): Promise<AccrualResult> {
    const order = fact.outTradeNo ? { channel: fact.channel, outTradeNo: fact.outTradeNo } : null;
    const { result, payment } = await this.inPaymentTx(fact.channel, fact.tradeNo, audit, order, async (tx, p, now) => {
      if (p.status === 'paid') return 'duplicate';
      const payer =
        fact.payer.kind === 'member'
          ? { kind: 'openid' as const, id: fact.payer.openid }
          : { kind: fact.payer.kind, id: fact.payer.id };
      Object.assign(p, {
        status: 'paid',
        outTradeNo: fact.outTradeNo,
        appId: fact.appId,
        payerKind: payer.kind,
        payerId: payer.id,
        memberId: null,
        attribution: null,
        storeId: fact.storeId,
        totalFen: fact.totalFen,
        paidFen: fact.paidFen,
        pointsEarned: pointsForPayment(fact.paidFen),
        paidAt: fact.paidAt,
      } satisfies Partial<PaymentRow>);
      if (fact.payer.kind === 'member') {
        // Our own mini-program's payer: WeChat vouches that this is the member.
        const member = await memberByOpenid(tx, fact.payer.openid, null, now);
        await this.earn(tx, p, member.id, 'payer', now, fact);
        return p.pointsEarned > 0 ? 'accrued' : 'paid-no-points';
      }
      // A member scanned the checkout QR before this notification arrived: the order is theirs, whatever links say.
      const ticket = fact.outTradeNo ? await tx.claimedTicketForOrder(fact.channel, fact.outTradeNo) : null;
      // A ticket a store made for another store's order credits nobody.
      if (ticket?.memberId && (ticket.storeId === null || ticket.storeId === p.storeId)) {
        // The payer link is locked (in attributeByTicket) before the member's account, so this evaluates
        // before the member's lock: two such orders of one member racing could both fit under a daily cap.
        const earned = await this.evaluate(tx, fact, ticket.memberId);
        this.applyEarned(p, earned);
        await this.clawBack(tx, p, now, `${fact.tradeNo}:before-payment`); // shrinks what the claim gets
        ticket.points = await attributeByTicket(tx, p, ticket.memberId, this.context(now));
        if (earned) await this.deps.earning!.recordUsage(tx, ticket.memberId, earned);
        await tx.saveTicket(ticket);
        return 'accrued-claimed';
      }
      const linked = linkedMember(await tx.findPayerLink(payer.kind, payer.id));
      if (linked) {
        await this.earn(tx, p, linked, 'link', now, fact);
        return p.pointsEarned > 0 ? 'accrued' : 'paid-no-points';
      }
      // Unclaimed: what it earns without a member (tier and birthday rules cannot match).
      this.applyEarned(p, await this.evaluate(tx, fact, null));
      await this.clawBack(tx, p, now, `${fact.tradeNo}:before-payment`);
      return p.pointsEarned > 0 ? 'accrued-unclaimed' : 'paid-no-points';
    });
    // The payment as committed: who the points went to, for the risk check (no read after the commit).
    const credited = payment.memberId;
    if (credited && (result === 'accrued' || result === 'accrued-claimed')) await this.deps.risk?.accrued(credited);
    return result;
  }

  /** The rules' result decides the payment's points; the rule versions go on its event. */
  private applyEarned(p: PaymentRow, earned: Earned | null): void {
    if (!earned) return;
    p.pointsEarned = earned.points;
    p.rules = earned.applied; // kept on the payment: a claim that credits it later records them too
  }

  /** Credits a payment's points to the member it is attributed to; refunds that came first then apply. */
  private async earn(
    tx: Tx,
    p: PaymentRow,
    memberId: string,
    why: 'payer' | 'link',
    now: number,
    fact: PaymentFact,
  ): Promise<void> {
    Object.assign(p, { memberId, attribution: why });
    // The referral decides which accounts to lock, sorted: the member's and their referrer's (lock order).
    // Who referred them is read before the lock, and only when referrals pay anything.
    const { bonuses } = this.deps;
    const referrer =
      bonuses && (await bonuses.referralsOn()) ? ((await tx.getMember(memberId))?.referredBy ?? null) : null;
    const afterPosting = bonuses ? await bonuses.onPayment(tx, memberId, referrer, now) : null;
    if (!afterPosting) await tx.lockAccount(memberId);
    // Under the lock: the tier and birthday the rules and growth use are current.
    const member = this.deps.earning || this.deps.tiers ? await tx.getMember(memberId) : null;
    const earned = await this.evaluate(tx, fact, memberId, member ?? undefined);
    this.applyEarned(p, earned);
    if (p.pointsEarned > 0) {
      await postToMember(
        tx,
        now,
        {
          key: { source: p.channel, externalId: p.tradeNo },
          kind: 'earn',
          memberId,
          counterparty: 'issued',
          storeId: p.storeId,
          meta: { outTradeNo: p.outTradeNo, paidFen: p.paidFen, ...(earned ? { rules: earned.applied } : {}) },
          lotExpiresAt: lotExpiry(now, this.deps.expiry),
        },
        (a) => planCredit(a, p.pointsEarned),
      );
      if (earned) await this.deps.earning!.recordUsage(tx, memberId, earned);
      await this.outbox.add(tx, {
        topic: 'points.earned',
        memberId,
        payload: { paymentId: p.id, points: p.pointsEarned, paidFen: p.paidFen, storeId: p.storeId },
        createdAt: now,
      });
    }
    await this.clawBack(tx, p, now, `${p.tradeNo}:before-payment`);
    const growth = growthNet(p.paidFen, p.refundedFen, p.totalFen);
    await this.growth(tx, memberId, growth, p.paidAt ?? now, now, member ?? undefined);
    await afterPosting?.(member);
  }

  /**
   * Growth moves with the payment's points: to the member credited, back on
   * refunds. With `member` the caller already holds the member's lock.
   */
  private async growth(tx: Tx, memberId: string, delta: number, paidAt: number, now: number, member?: MemberRow) {
    if (!this.deps.tiers || delta === 0) return;
    if (!member) await tx.lockAccount(memberId);
    await this.deps.tiers.addGrowth(tx, memberId, delta, paidAt, now, member);
  }

  private context(now: number): AttributionContext {
    return {
      now,
      lotExpiresAt: lotExpiry(now, this.deps.expiry),
      linkClaims: this.deps.linkClaims,
      outbox: this.outbox,
      growth: (tx, memberId, delta, paidAt) => this.growth(tx, memberId, delta, paidAt, now),
    };
  }

  async recordRefund(fact: RefundFact, audit: Audit): Promise<AccrualResult> {
    const work = async (tx: Tx, p: PaymentRow, now: number): Promise<AccrualResult> => {
      const fresh = await tx.insertRefund({
        channel: fact.channel,
        refundKey: fact.refundKey,
        paymentId: p.id,
        amountFen: fact.amountFen,
        cumulative: fact.cumulative,
        createdAt: now,
      });
      if (!fresh) return 'refund-duplicate';
      const growthBefore = growthNet(p.paidFen, p.refundedFen, p.totalFen);
      p.refundedFen = fact.cumulative ? Math.max(p.refundedFen, fact.amountFen) : p.refundedFen + fact.amountFen;
      if (p.status !== 'paid') return 'refund-pending';
      await this.clawBack(tx, p, now, fact.refundKey);
      if (p.memberId) {
        await this.growth(
          tx,
          p.memberId,
          growthNet(p.paidFen, p.refundedFen, p.totalFen) - growthBefore,
          p.paidAt ?? now,
          now,
        );
      }
      return 'refund-applied';
    };
    const { result } = await this.inPaymentTx(fact.channel, fact.tradeNo, audit, null, work, true);
    return result;
  }

  /** Authentic notifications we act on only by recording them (odd states, other event types). */
  async recordOnly(audit: Audit, result: string): Promise<void> {
    const now = this.deps.clock();
    await this.deps.store.transaction((tx) => tx.insertNotification({ ...audit, result, receivedAt: now }));
  }

  /** Bring the points taken back up to floor(earned × refunded ÷ total). */
  private async clawBack(tx: Tx, p: PaymentRow, now: number, refundKey: string): Promise<void> {
    const target = clawbackTarget(p.pointsEarned, p.refundedFen, p.totalFen);
    const more = target - p.pointsClawed;
    if (more <= 0) return;
    p.pointsClawed = target;
    if (!p.memberId) return; // unclaimed: the points waiting to be claimed shrink instead
    await postToMember(
      tx,
      now,
      {
        key: { source: `${p.channel}-refund`, externalId: refundKey },
        kind: 'refund',
        memberId: p.memberId,
        counterparty: 'issued',
        storeId: p.storeId,
        meta: { paymentId: p.id, refundedFen: p.refundedFen },
      },
      (a, lots) => planClawback(a, lots, more),
    );
    await this.outbox.add(tx, {
      topic: 'points.refunded',
      memberId: p.memberId,
      payload: { paymentId: p.id, points: more, refundedFen: p.refundedFen },
      createdAt: now,
    });
  }

  /**
   * One notification's transaction: the order's lock, its payment row, the
   * work, the row saved and the audit row. A payment's row is written once
   * where the store allows (Tx.openPayment); a refund references the row, so
   * it is stored first.
   */
  private async inPaymentTx(
    channel: Channel,
    tradeNo: string,
    audit: Audit,
    order: { channel: Channel; outTradeNo: string } | null,
    work: (tx: Tx, p: PaymentRow, now: number) => Promise<AccrualResult>,
    refund = false,
  ): Promise<{ result: AccrualResult; payment: PaymentRow }> {
    const now = this.deps.clock();
    const id = paymentId(channel, tradeNo);
    return this.deps.store.transaction(async (tx) => {
      // A payment's order lock comes first: a claim of the same order takes it first too.
      if (order) await tx.lockOrder(order.channel, order.outTradeNo);
      const opened = refund
        ? { row: await storedPayment(tx, id, channel, tradeNo, now), stored: true }
        : await tx.openPayment(id, channel, tradeNo, now, order !== null);
      const p = opened.row;
      const result = await work(tx, p, now);
      if (!opened.stored) await tx.insertPayment({ ...p, updatedAt: now });
      else if (!result.endsWith('duplicate')) await tx.savePayment({ ...p, updatedAt: now });
      await tx.insertNotification({ ...audit, result, receivedAt: now });
      return { result, payment: p };
    });
  }
}

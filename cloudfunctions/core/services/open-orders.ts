/**
 * Orders and refunds from a POS or ERP through the open API (DESIGN "Open
 * API v1"): points through the earning rules (channel `open`, line items
 * for category rules), growth for the tier, exactly once per (key,
 * orderNo) and per (key, orderNo, refundNo).
 *
 * Each order is kept as an `open_order` document, locked while it is
 * credited or refunded, so an order, its replays and its refunds serialize;
 * its event keys (`open:<key>` / `open-refund:<key>`) make the ledger refuse
 * a second posting even so. A replay with the same body answers what the
 * first did; with a different body it is refused (IDEMPOTENCY_CONFLICT).
 * A refund takes back points in proportion, as a payment refund does
 * (domain/earning.ts), and never more than was paid.
 */
import { clawbackTarget, growthNet } from '../domain/earning.js';
import type { OrderItem } from '../domain/earning-rules.js';
import { errors } from '../domain/errors.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import { planClawback, planCredit } from '../domain/postings.js';
import type { Store, Tx } from '../store/port.js';
import { plainDoc } from './config-docs.js';
import type { OrderEarning } from './order-earning.js';
import { EVERY_TOPIC, type OutboxWriter } from './outbox-writer.js';
import { postToMember } from './posting.js';
import { requestHash } from './request-hash.js';
import type { RiskWatch } from './risk-watch.js';
import type { Tiers } from './tiers.js';

export interface OpenOrder {
  orderNo: string;
  storeId: string | null;
  memberId: string;
  paidFen: number;
  paidAt: number;
  items: OrderItem[] | null;
}

interface OrderDoc extends OpenOrder {
  keyId: string;
  points: number;
  refundedFen: number;
  clawed: number;
  /** refundNo → amount, so a replayed refund is recognised. */
  refunds: Record<string, number>;
  requestHash: string;
  createdAt: number;
}

export interface OrderAnswer {
  memberId: string;
  points: number;
  balance: number;
  replayed: boolean;
}

export interface RefundAnswer {
  memberId: string;
  refundedFen: number;
  /** Points taken back by this refund. */
  points: number;
  balance: number;
  replayed: boolean;
}

export class OpenOrders {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      expiry: ExpiryPolicy;
      earning: OrderEarning;
      tiers: Tiers;
      outbox?: OutboxWriter;
      risk?: Pick<RiskWatch, 'accrued'>;
    },
  ) {}

  /** `sent` is the body as the client sent it: a replay must send the same (the time it arrived may differ). */
  async order(keyId: string, o: OpenOrder, sent: unknown): Promise<OrderAnswer> {
    const now = this.deps.clock();
    const hash = requestHash(sent);
    const id = docId(keyId, o.orderNo);
    const answer = await this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('open_order', id);
      if (held) {
        const d = held.body as unknown as OrderDoc;
        if (d.requestHash !== hash) throw errors.idempotencyConflict();
        return { memberId: d.memberId, points: d.points, replayed: true };
      }
      // Under the member's lock: the tier, birthday and caps the rules read are current.
      if (!(await tx.lockAccount(o.memberId))) throw errors.notFound('Member');
      const member = await tx.getMember(o.memberId);
      const earned = await this.deps.earning.evaluate(
        tx,
        { channel: 'open', storeId: o.storeId, paidFen: o.paidFen, at: o.paidAt, items: o.items },
        o.memberId,
        member ? { member } : {},
      );
      if (earned.points > 0) {
        await postToMember(
          tx,
          now,
          {
            key: { source: `open:${keyId}`, externalId: o.orderNo },
            kind: 'earn',
            memberId: o.memberId,
            counterparty: 'issued',
            storeId: o.storeId,
            meta: { orderNo: o.orderNo, paidFen: o.paidFen, rules: earned.applied },
            lotExpiresAt: lotExpiry(now, this.deps.expiry),
          },
          (a) => planCredit(a, earned.points),
        );
        await this.deps.earning.recordUsage(tx, o.memberId, earned);
        await this.outbox.add(tx, {
          topic: 'points.earned',
          memberId: o.memberId,
          payload: { orderNo: o.orderNo, points: earned.points, paidFen: o.paidFen, storeId: o.storeId },
          createdAt: now,
        });
      }
      await this.deps.tiers.addGrowth(
        tx,
        o.memberId,
        growthNet(o.paidFen, 0, o.paidFen),
        o.paidAt,
        now,
        member ?? undefined,
      );
      const doc: OrderDoc = {
        ...o,
        keyId,
        points: earned.points,
        refundedFen: 0,
        clawed: 0,
        refunds: {},
        requestHash: hash,
        createdAt: now,
      };
      await tx.putConfig(plainDoc('open_order', id, doc, `open:${keyId}`, now));
      return { memberId: o.memberId, points: earned.points, replayed: false };
    });
    if (!answer.replayed && answer.points > 0) await this.deps.risk?.accrued(answer.memberId);
    return { ...answer, balance: await this.balance(answer.memberId) };
  }

  async refund(keyId: string, orderNo: string, r: { refundNo: string; amountFen: number }): Promise<RefundAnswer> {
    const now = this.deps.clock();
    const answer = await this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('open_order', docId(keyId, orderNo));
      if (!held) throw errors.notFound(`Order ${orderNo} of this key`);
      const d = held.body as unknown as OrderDoc;
      const seen = d.refunds[r.refundNo];
      if (seen !== undefined) {
        if (seen !== r.amountFen) throw errors.idempotencyConflict();
        return { memberId: d.memberId, refundedFen: d.refundedFen, points: 0, replayed: true };
      }
      if (d.refundedFen + r.amountFen > d.paidFen) {
        throw errors.conflict(
          'REFUND_EXCEEDS_ORDER',
          `Refunds would come to ${d.refundedFen + r.amountFen} fen; the order paid ${d.paidFen} fen.`,
        );
      }
      await tx.lockAccount(d.memberId); // the order's lock, then the member's (store/lock-order.ts)
      const refundedFen = d.refundedFen + r.amountFen;
      const target = clawbackTarget(d.points, refundedFen, d.paidFen);
      const more = target - d.clawed;
      if (more > 0) await this.clawBack(tx, d, r.refundNo, refundedFen, more, now);
      const growth = growthNet(d.paidFen, refundedFen, d.paidFen) - growthNet(d.paidFen, d.refundedFen, d.paidFen);
      await this.deps.tiers.addGrowth(tx, d.memberId, growth, d.paidAt, now);
      const next: OrderDoc = {
        ...d,
        refundedFen,
        clawed: target,
        refunds: { ...d.refunds, [r.refundNo]: r.amountFen },
      };
      await tx.putConfig(plainDoc('open_order', docId(keyId, orderNo), next, `open:${keyId}`, now));
      return { memberId: d.memberId, refundedFen, points: more, replayed: false };
    });
    return { ...answer, balance: await this.balance(answer.memberId) };
  }

  private async clawBack(tx: Tx, d: OrderDoc, refundNo: string, refundedFen: number, points: number, now: number) {
    await postToMember(
      tx,
      now,
      {
        key: { source: `open-refund:${d.keyId}`, externalId: `${d.orderNo}:${refundNo}` },
        kind: 'refund',
        memberId: d.memberId,
        counterparty: 'issued',
        storeId: d.storeId,
        meta: { orderNo: d.orderNo, refundNo, refundedFen },
      },
      (a, lots) => planClawback(a, lots, points),
    );
    await this.outbox.add(tx, {
      topic: 'points.refunded',
      memberId: d.memberId,
      payload: { orderNo: d.orderNo, points, refundedFen },
      createdAt: now,
    });
  }

  private get outbox(): OutboxWriter {
    return this.deps.outbox ?? EVERY_TOPIC;
  }

  private async balance(memberId: string): Promise<number> {
    return (await this.deps.store.getAccount(memberId))?.balance ?? 0;
  }
}

const docId = (keyId: string, orderNo: string) => `${keyId}:${orderNo}`;

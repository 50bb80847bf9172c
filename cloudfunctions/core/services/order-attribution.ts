/**
 * Who an order's points belong to, when the payer is not our own member (an
 * Alipay buyer, another appid's openid). In order of strength:
 * - a checkout ticket the member claimed decides its order, always;
 * - otherwise an active payer link (domain/payer-links.ts) credits its member,
 *   provisionally: a claim of that order's ticket moves the points to the claimer;
 * - otherwise the points wait, unclaimed.
 * Each ticket attribution counts towards (or contests) the payer's link.
 * Lock order inside the caller's transaction: order → payment → ticket →
 * payer link → member accounts (sorted) → event key → system shard.
 */
import { linkAfterClaim, maskPayer } from '../domain/payer-links.js';
import { planClawback, planCredit } from '../domain/postings.js';
import { growthNet } from '../domain/earning.js';
import type { PaymentRow, Tx } from '../store/port.js';
import { newId } from './ids.js';
import type { OutboxWriter } from './outbox-writer.js';
import { postToMember } from './posting.js';

export interface AttributionContext {
  now: number;
  /** Expiry of the lot a credit makes. */
  lotExpiresAt: number | null;
  /** Claims of one payer by one member before their link is active (0 = never link). */
  linkClaims: number;
  outbox: OutboxWriter;
  /** Moves growth with the points (services/tiers.ts); absent, growth is not tracked. */
  growth?: (tx: Tx, memberId: string, delta: number, paidAt: number) => Promise<void>;
}

const outstanding = (p: PaymentRow) => p.pointsEarned - p.pointsClawed;

/**
 * A ticket claim decides the order: the points (what is left after refunds)
 * go to `memberId`, taken back from a member a payer link had credited them
 * to. Returns the points the order gives the claimer. The payment row is
 * changed in place; the caller saves it.
 */
export async function attributeByTicket(
  tx: Tx,
  p: PaymentRow,
  memberId: string,
  ctx: AttributionContext,
): Promise<number> {
  const points = outstanding(p);
  const previous = p.memberId;
  await countPayerClaim(tx, p, memberId, ctx);
  p.memberId = memberId;
  p.attribution = 'ticket';
  if (previous === memberId) return Math.max(0, points);
  // Both accounts, sorted, before either posting, and one shard for both: two reassignments never wait on each other.
  const accounts = [previous, memberId].filter((x): x is string => x !== null).sort();
  for (const id of accounts) await tx.lockAccount(id);
  // Growth follows the order, whatever points it gives: 1 per yuan paid, less refunds.
  if (ctx.growth && p.paidAt !== null) {
    const growth = growthNet(p.paidFen, p.refundedFen, p.totalFen);
    for (const id of accounts) await ctx.growth(tx, id, id === memberId ? growth : -growth, p.paidAt);
  }
  if (points <= 0) return 0;
  const shardOf = accounts[0];
  if (previous) {
    await postToMember(
      tx,
      ctx.now,
      {
        key: { source: 'claim-reassign', externalId: p.id },
        kind: 'claim',
        memberId: previous,
        counterparty: 'issued',
        storeId: p.storeId,
        meta: { paymentId: p.id, outTradeNo: p.outTradeNo, reason: '该订单积分已由扫码领取人获得' },
        shardOf,
      },
      (a, lots) => planClawback(a, lots, points),
    );
  }
  await postToMember(
    tx,
    ctx.now,
    {
      key: { source: 'claim', externalId: p.id },
      kind: 'claim',
      memberId,
      counterparty: 'issued',
      storeId: p.storeId,
      meta: { paymentId: p.id, outTradeNo: p.outTradeNo, ...(p.rules ? { rules: p.rules } : {}) },
      lotExpiresAt: ctx.lotExpiresAt,
      shardOf,
    },
    (a) => planCredit(a, points),
  );
  await ctx.outbox.add(tx, {
    topic: 'points.earned',
    memberId,
    payload: { paymentId: p.id, points, paidFen: p.paidFen, storeId: p.storeId },
    createdAt: ctx.now,
  });
  return points;
}

/** One more claimed order of this payer by `memberId`: builds their link, or contests someone else's. */
async function countPayerClaim(tx: Tx, p: PaymentRow, memberId: string, ctx: AttributionContext): Promise<void> {
  if (!p.payerKind || !p.payerId) return;
  const now = ctx.now;
  const link = await tx.lockPayerLink(p.payerKind, p.payerId, { id: newId('pl'), memberId, at: now });
  const { next, conflict } = linkAfterClaim(link, memberId, ctx.linkClaims);
  await tx.savePayerLink({ ...link, ...next, updatedAt: now });
  if (conflict) {
    await tx.insertAlert({
      kind: 'payer_link.contested',
      subject: link.id,
      detail: {
        payerKind: p.payerKind,
        payer: maskPayer(p.payerId),
        linkedMember: link.memberId,
        claimedBy: memberId,
        channel: p.channel,
        outTradeNo: p.outTradeNo,
      },
      createdAt: now,
    });
  }
}

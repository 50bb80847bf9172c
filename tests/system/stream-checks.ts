/**
 * What a stream of payment notifications must have left in the store, and
 * how to send one: shared by the crash test (kill -9) and the outage test
 * (the database stopped and started again).
 */
import { expect } from 'vitest';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { clawedOf, earnedOf, paymentId, type Notification, type Stream } from './notify-stream.js';

const ACCRUED = ['accrued', 'accrued-unclaimed', 'paid-no-points'];
const REFUNDED = ['refund-applied', 'refund-pending'];

export async function inPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Deterministic shuffle, so duplicate deliveries of one notification race each other. */
export function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What each acknowledged notification must have left in the store. */
export async function missingAcknowledged(store: Store, acked: Notification[], stream: Stream): Promise<string[]> {
  const byId = new Map(stream.payments.map((p) => [paymentId(p), p]));
  const missing: string[] = [];
  for (const n of acked) {
    const audit = await store.notifications(n.channel, n.tradeNo);
    if (n.refundKey === null) {
      const p = byId.get(paymentId(n))!;
      const row = await store.getPayment(paymentId(n));
      const accrued = audit.some((a) => a.refundKey === null && ACCRUED.includes(a.result));
      if (row?.status !== 'paid' || row.pointsEarned !== earnedOf(p) || !accrued) {
        missing.push(`${n.label}: ${JSON.stringify({ status: row?.status, points: row?.pointsEarned, accrued })}`);
      }
    } else if (!audit.some((a) => a.refundKey === n.refundKey && REFUNDED.includes(a.result))) {
      missing.push(`${n.label}: no applied or pending refund among ${JSON.stringify(audit.map((a) => a.result))}`);
    }
  }
  return missing;
}

/** Balances each member must hold: Σ earned − clawed over their WeChat Pay payments. */
function expectedBalances(stream: Stream): Map<string, number> {
  const balances = new Map(stream.openids.map((o) => [o, 0]));
  for (const p of stream.payments) {
    if (p.channel !== 'wechatpay') continue;
    const points = earnedOf(p) - clawedOf(p, stream.refundedFen.get(paymentId(p)) ?? 0);
    balances.set(p.openid, balances.get(p.openid)! + points);
  }
  return balances;
}

/** Every payment accrued once and refunded as the amounts say, every balance as computed, nothing twice. */
export async function expectExactlyOnce(store: Store, stream: Stream): Promise<void> {
  const memberIds = new Map<string, string>();
  for (const openid of stream.openids) {
    const m = await store.transaction((tx) => tx.findMemberByOpenid(openid));
    expect(m, `member ${openid}`).not.toBeNull();
    memberIds.set(openid, m!.id);
  }

  const refundKeys = new Map<string, string[]>();
  for (const n of stream.notifications) {
    if (n.refundKey !== null) refundKeys.set(paymentId(n), [...(refundKeys.get(paymentId(n)) ?? []), n.refundKey]);
  }

  const wrong: string[] = [];
  for (const p of stream.payments) {
    const refunded = stream.refundedFen.get(paymentId(p)) ?? 0;
    const earned = earnedOf(p);
    const row = await store.getPayment(paymentId(p));
    const member = p.channel === 'wechatpay' ? memberIds.get(p.openid)! : null;
    const want = {
      status: 'paid',
      memberId: member,
      payerKind: p.channel === 'wechatpay' ? 'openid' : 'alipay_buyer',
      payerId: p.channel === 'wechatpay' ? p.openid : p.buyerId,
      totalFen: p.totalFen,
      paidFen: p.paidFen,
      pointsEarned: earned,
      refundedFen: refunded,
      pointsClawed: clawedOf(p, refunded),
    };
    const got = row && Object.fromEntries(Object.keys(want).map((k) => [k, row[k as keyof typeof row]]));
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${paymentId(p)}: ${JSON.stringify({ got, want })}`);

    // The audit trail: one accrual among the deliveries, one application per refund key; the rest are duplicates.
    const audit = await store.notifications(p.channel, p.tradeNo);
    const payments = audit.filter((a) => a.refundKey === null).map((a) => a.result);
    const accruals = payments.filter((r) => ACCRUED.includes(r));
    if (accruals.length !== 1 || payments.some((r) => r !== 'duplicate' && !ACCRUED.includes(r))) {
      wrong.push(`${paymentId(p)}: payment results ${JSON.stringify(payments)}`);
    }
    for (const key of refundKeys.get(paymentId(p)) ?? []) {
      const results = audit.filter((a) => a.refundKey === key).map((a) => a.result);
      const applied = results.filter((r) => REFUNDED.includes(r));
      if (applied.length !== 1 || results.some((r) => r !== 'refund-duplicate' && !REFUNDED.includes(r))) {
        wrong.push(`${paymentId(p)} refund ${key}: results ${JSON.stringify(results)}`);
      }
    }

    // The earn event: one per paid order with points, on the member's account, for exactly what was earned.
    const event = await store.findEvent(p.channel, p.tradeNo);
    const wantEvent = member && earned > 0 ? { kind: 'earn', memberId: member, delta: earned } : null;
    const gotEvent = event && { kind: event.kind, memberId: event.memberId, delta: event.delta };
    if (JSON.stringify(gotEvent) !== JSON.stringify(wantEvent)) {
      wrong.push(`${paymentId(p)} earn event: ${JSON.stringify({ gotEvent, wantEvent })}`);
    }
  }
  expect(wrong).toEqual([]);

  const expected = expectedBalances(stream);
  const balances = new Map<string, number>();
  for (const [openid, memberId] of memberIds) {
    const account = await store.getAccount(memberId);
    balances.set(openid, account!.balance);
    // The member's history adds up to the balance, with one earn event per paid order with points.
    const { items, nextBeforeId } = await store.history(memberId, null, 1000);
    expect(nextBeforeId).toBeNull();
    expect(
      items.reduce((sum, e) => sum + e.delta, 0),
      openid,
    ).toBe(account!.balance);
    const earning = stream.payments.filter((p) => p.channel === 'wechatpay' && p.openid === openid && earnedOf(p) > 0);
    expect(items.filter((e) => e.kind === 'earn').length, openid).toBe(earning.length);
  }
  expect(balances).toEqual(expected);

  const report = verifyLedger(await store.ledgerSummary());
  expect(report.problems).toEqual([]);
  expect(report.totals.members).toBe([...expected.values()].reduce((a, b) => a + b, 0));
}

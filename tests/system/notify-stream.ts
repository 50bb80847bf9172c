/**
 * A reproducible stream of payment notifications for the crash test: WeChat
 * Pay payments of our mini-program's members, Alipay payments (unclaimed
 * accruals), WeChat refunds and Alipay refunds of payments sent earlier in
 * the stream, and the points each payer must end up with, computed here from
 * the amounts alone (not with the server's code).
 */
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  refundResource,
  signWechatBody,
  transactionResource,
  wechatNotification,
  type WechatSigner,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { ALIPAY_APPID, APPID, MCHID } from '../support/payment-keys.js';

export interface WechatPayment {
  channel: 'wechatpay';
  tradeNo: string;
  openid: string;
  totalFen: number;
  paidFen: number;
}

export interface AlipayPayment {
  channel: 'alipay';
  tradeNo: string;
  buyerId: string;
  totalFen: number;
  paidFen: number;
}

export type Payment = WechatPayment | AlipayPayment;

/** One notification as the platform sends it; WeChat ones are signed again at every delivery. */
export interface Notification {
  label: string;
  channel: 'wechatpay' | 'alipay';
  tradeNo: string;
  /** null for a payment; the refund_id / out_biz_no for a refund. */
  refundKey: string | null;
  /** WeChat: the JSON envelope (same id and ciphertext on every delivery). Alipay: the signed form. */
  body: string;
}

export interface Stream {
  notifications: Notification[];
  payments: Payment[];
  /** Refunded so far per payment id (`channel:tradeNo`), once every refund of the stream is applied. */
  refundedFen: Map<string, number>;
  openids: string[];
}

export interface StreamSizes {
  members: number;
  wechatPayments: number;
  alipayPayments: number;
  alipayBuyers: number;
  /** WeChat payments that get refunds (one or two each). */
  wechatRefunded: number;
  /** Alipay payments that get refunds (two partials, or a close). */
  alipayRefunded: number;
  /** A refund is placed at least this many notifications after its payment. */
  refundLag: number;
}

/** mulberry32: the same stream every run, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
export const paymentId = (p: { channel: string; tradeNo: string }) => `${p.channel}:${p.tradeNo}`;

/** The points a payment earns: 1 per whole yuan the payer paid (DESIGN), derived here on purpose. */
export const earnedOf = (p: Payment) => Math.floor(p.paidFen / 100);

/** Points taken back after refunds totalling refundedFen: floor(earned × refunded ÷ total), all of it when fully refunded. */
export function clawedOf(p: Payment, refundedFen: number): number {
  const earned = earnedOf(p);
  if (refundedFen <= 0 || earned === 0) return 0;
  if (refundedFen >= p.totalFen) return earned;
  return Math.floor((earned * refundedFen) / p.totalFen);
}

export function buildStream(prefix: string, signer: WechatSigner, alipayKeyPem: string, size: StreamSizes): Stream {
  const rand = prng(0x5eed1234);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const openids = Array.from({ length: size.members }, (_, i) => `o-${prefix}-${String(i).padStart(2, '0')}`);
  const buyers = Array.from({ length: size.alipayBuyers }, (_, i) => `2088${String(9000 + i).padStart(12, '0')}`);

  const payments: Payment[] = [];
  const refundedFen = new Map<string, number>();
  const notifications: Notification[] = [];
  /** Refunds waiting for their place in the stream: released once the stream is refundLag past their payment. */
  const waiting: Array<{ after: number; n: Notification }> = [];
  const release = (all = false) => {
    for (let i = 0; i < waiting.length;) {
      if (all || waiting[i]!.after <= notifications.length) notifications.push(waiting.splice(i, 1)[0]!.n);
      else i++;
    }
  };

  let wechatRefunds = 0;
  const wechatPayment = (k: number) => {
    // Varied amounts: mostly 1–500 yuan, some under 1 yuan (no points), every fifth paid partly by a coupon.
    const totalFen = k % 23 === 7 ? int(1, 99) : int(100, 50_000);
    const couponFen = k % 5 === 2 && totalFen > 200 ? int(1, Math.min(3000, totalFen - 100)) : 0;
    const p: WechatPayment = {
      channel: 'wechatpay',
      tradeNo: `4200${prefix}${String(k).padStart(6, '0')}`,
      openid: openids[int(0, openids.length - 1)]!,
      totalFen,
      paidFen: totalFen - couponFen,
    };
    payments.push(p);
    const resource = transactionResource({
      mchId: MCHID,
      appId: APPID,
      openid: p.openid,
      totalFen: p.totalFen,
      payerTotalFen: p.paidFen,
      transactionId: p.tradeNo,
      outTradeNo: `ORDER-${p.tradeNo}`,
    });
    const body = wechatNotification('TRANSACTION.SUCCESS', resource, signer, { id: `EV-pay-${p.tradeNo}` }).body;
    notifications.push({
      label: `wx pay ${p.tradeNo}`,
      channel: 'wechatpay',
      tradeNo: p.tradeNo,
      refundKey: null,
      body,
    });

    if (k % Math.max(1, Math.floor(size.wechatPayments / size.wechatRefunded)) !== 1 || totalFen < 100) return;
    // One full refund, one partial, or two partials; amount.refund is each refund's own amount.
    const r = wechatRefunds++;
    const parts =
      r % 3 === 0
        ? [p.totalFen]
        : r % 3 === 1
          ? [int(1, p.totalFen)]
          : [int(1, p.totalFen >> 1), int(1, p.totalFen >> 1)];
    parts.forEach((refundFen, j) => {
      const refundId = `5030${p.tradeNo}${j}`;
      const refund = refundResource({
        mchId: MCHID,
        transactionId: p.tradeNo,
        totalFen: p.totalFen,
        refundFen,
        refundId,
      });
      const body = wechatNotification('REFUND.SUCCESS', refund, signer, { id: `EV-refund-${refundId}` }).body;
      refundedFen.set(paymentId(p), (refundedFen.get(paymentId(p)) ?? 0) + refundFen);
      waiting.push({
        after: notifications.length + size.refundLag * (j + 1),
        n: { label: `wx refund ${refundId}`, channel: 'wechatpay', tradeNo: p.tradeNo, refundKey: refundId, body },
      });
    });
  };

  let alipayRefunds = 0;
  const alipayPayment = (k: number) => {
    const totalFen = int(100, 30_000);
    const paidFen = k % 4 === 1 ? totalFen - int(0, 99) : totalFen;
    const p: AlipayPayment = {
      channel: 'alipay',
      tradeNo: `2026${prefix}${String(k).padStart(6, '0')}`,
      buyerId: buyers[k % buyers.length]!,
      totalFen,
      paidFen,
    };
    payments.push(p);
    const params = alipayTradeParams({
      appId: ALIPAY_APPID,
      tradeNo: p.tradeNo,
      buyerId: p.buyerId,
      totalAmount: yuan(totalFen),
      buyerPayAmount: yuan(paidFen),
      outTradeNo: `ORDER-${p.tradeNo}`,
    });
    const form = alipayForm(params, alipayKeyPem);
    notifications.push({
      label: `ali pay ${p.tradeNo}`,
      channel: 'alipay',
      tradeNo: p.tradeNo,
      refundKey: null,
      body: form,
    });

    if (k % Math.max(1, Math.floor(size.alipayPayments / size.alipayRefunded)) !== 0) return;
    const r = alipayRefunds++;
    // refund_fee is the running total: two partials (TRADE_SUCCESS), or the whole order (TRADE_CLOSED).
    const first = int(1, totalFen >> 1);
    const steps: Array<[string, number]> =
      r % 2 === 0
        ? [
            ['TRADE_SUCCESS', first],
            ['TRADE_SUCCESS', first + int(0, totalFen >> 2)],
          ]
        : [['TRADE_CLOSED', totalFen]];
    steps.forEach(([status, running], j) => {
      const outBizNo = `RF-${p.tradeNo}-${j}`;
      const refund = {
        ...params,
        trade_status: status,
        refund_fee: yuan(running),
        gmt_refund: params.gmt_payment!,
        out_biz_no: outBizNo,
        notify_id: `${params.notify_id}-r${j}`,
      };
      refundedFen.set(paymentId(p), Math.max(refundedFen.get(paymentId(p)) ?? 0, running));
      waiting.push({
        after: notifications.length + size.refundLag * (j + 1),
        n: {
          label: `ali refund ${outBizNo}`,
          channel: 'alipay',
          tradeNo: p.tradeNo,
          refundKey: outBizNo,
          body: alipayForm(refund, alipayKeyPem),
        },
      });
    });
  };

  const every = Math.max(1, Math.floor(size.wechatPayments / Math.max(1, size.alipayPayments)));
  let alipays = 0;
  for (let k = 0; k < size.wechatPayments; k++) {
    wechatPayment(k);
    if (k % every === every - 1 && alipays < size.alipayPayments) alipayPayment(alipays++);
    release();
  }
  while (alipays < size.alipayPayments) alipayPayment(alipays++);
  release(true);
  return { notifications, payments, refundedFen, openids };
}

export type Delivery = { kind: 'acked' } | { kind: 'refused'; detail: string } | { kind: 'cut'; detail: string };

/** POSTs one notification; WeChat Pay ones get a fresh timestamp, nonce and signature, as every real retry does. */
export async function deliver(base: string, n: Notification, signer: WechatSigner): Promise<Delivery> {
  try {
    const res =
      n.channel === 'wechatpay'
        ? await fetch(`${base}/notify/wechatpay`, {
            method: 'POST',
            headers: signWechatBody(n.body, signer),
            body: n.body,
          })
        : await fetch(`${base}/notify/alipay`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: n.body,
          });
    const text = await res.text();
    const ok = n.channel === 'wechatpay' ? res.status === 204 : res.status === 200 && text === 'success';
    return ok ? { kind: 'acked' } : { kind: 'refused', detail: `${n.label}: ${res.status} ${text.slice(0, 200)}` };
  } catch (e) {
    return { kind: 'cut', detail: `${n.label}: ${String((e as Error).cause ?? e)}` };
  }
}

/**
 * One WeChat Pay notification, end to end: verify, decrypt, validate, then
 * record it and its points in one transaction. Throws a DomainError whose
 * status is the answer (401 bad signature, 400 malformed, 503 store down).
 */
import type { z } from 'zod';
import type { Accruals, AccrualResult, Audit, PaymentFact } from '../accrual.js';
import type { WechatPayConfig } from '../payment-config.js';
import { malformed, parseOrMalformed as parse } from '../malformed.js';
import { itemsFromTill, storeFromTill, storeOf } from '../store-of.js';
import { decryptResource } from './decrypt.js';
import { EnvelopeSchema, RefundSchema, TransactionSchema } from './schemas.js';
import { verifyWechatPaySignature, type SignedHeaders } from './verify.js';

export interface WechatPayDeps {
  config: WechatPayConfig;
  accruals: Accruals;
  clock: () => number;
  storePrefixes: ReadonlyArray<[string, string]>;
}

export async function handleWechatPay(
  raw: Uint8Array,
  headers: SignedHeaders,
  deps: WechatPayDeps,
): Promise<AccrualResult | string> {
  verifyWechatPaySignature(headers, raw, deps.config.keys, deps.clock());
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw malformed('The body is not JSON.');
  }
  const envelope = parse(EnvelopeSchema, json, 'notification');
  const resource = decryptResource(envelope.resource, deps.config.apiV3Key);
  const base = { channel: 'wechatpay' as const, notifyId: envelope.id, eventType: envelope.event_type };

  if (envelope.event_type === 'TRANSACTION.SUCCESS') {
    const t = parse(TransactionSchema, resource, 'transaction');
    ourMerchant(t.mchid, deps);
    const audit: Audit = { ...base, tradeNo: t.transaction_id, refundKey: null, amountFen: t.amount.total, payload: t };
    if (t.trade_state !== 'SUCCESS') {
      const result = `ignored:trade_state=${t.trade_state}`;
      await deps.accruals.recordOnly(audit, result);
      return result;
    }
    return deps.accruals.recordPayment(transactionFact(t, deps), audit);
  }

  if (envelope.event_type.startsWith('REFUND.')) {
    const r = parse(RefundSchema, resource, 'refund');
    ourMerchant(r.mchid, deps);
    const audit: Audit = {
      ...base,
      tradeNo: r.transaction_id,
      refundKey: r.refund_id,
      amountFen: r.amount.refund,
      payload: r,
    };
    if (envelope.event_type !== 'REFUND.SUCCESS' || r.refund_status !== 'SUCCESS') {
      // REFUND.ABNORMAL / REFUND.CLOSED: the money did not go back, so neither do the points.
      const result = `recorded:${envelope.event_type}:${r.refund_status}`;
      await deps.accruals.recordOnly(audit, result);
      return result;
    }
    return deps.accruals.recordRefund(
      {
        channel: 'wechatpay',
        tradeNo: r.transaction_id,
        refundKey: r.refund_id,
        amountFen: r.amount.refund,
        cumulative: false,
      },
      audit,
    );
  }

  const result = `ignored:${envelope.event_type}`;
  await deps.accruals.recordOnly(
    { ...base, tradeNo: null, refundKey: null, amountFen: null, payload: resource },
    result,
  );
  return result;
}

/** A successful transaction as a payment to credit: from a notification, or from an order query (reconciliation). */
export function transactionFact(
  t: z.infer<typeof TransactionSchema>,
  deps: Pick<WechatPayDeps, 'config' | 'clock' | 'storePrefixes'>,
): PaymentFact {
  if (!t.payer?.openid) throw malformed('transaction: payer.openid is missing.');
  const ours = t.appid === deps.config.appId;
  return {
    channel: 'wechatpay',
    tradeNo: t.transaction_id,
    outTradeNo: t.out_trade_no ?? null,
    appId: t.appid,
    // Another appid of the merchant: the points wait for scan-to-bind under (appid, openid).
    payer: ours ? { kind: 'member', openid: t.payer.openid } : { kind: 'openid', id: `${t.appid}:${t.payer.openid}` },
    totalFen: t.amount.total,
    paidFen: t.amount.payer_total ?? t.amount.total,
    storeId: storeOf(storeFromTill(t.attach), t.out_trade_no, deps.storePrefixes),
    items: itemsFromTill(t.attach),
    paidAt: t.success_time ? Date.parse(t.success_time) || deps.clock() : deps.clock(),
  };
}

function ourMerchant(mchid: string, deps: WechatPayDeps): void {
  if (mchid !== deps.config.mchId) throw malformed(`mchid ${mchid} is not this merchant.`);
}

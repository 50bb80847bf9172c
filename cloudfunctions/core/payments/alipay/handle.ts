/**
 * One Alipay notification: RSA2 signature checked by alipay-sdk v4
 * (checkNotifySignV2 on the decoded form), our app_id, then payment, partial
 * refund (refund_fee is the running total, out_biz_no the refund) or close.
 */
import type { AlipaySdk } from 'alipay-sdk';
import { DomainError } from '../../domain/errors.js';
import { yuanToFen } from '../../domain/money.js';
import type { z } from 'zod';
import type { Accruals, AccrualResult, Audit, PaymentFact } from '../accrual.js';
import { malformed, parseOrMalformed } from '../malformed.js';
import type { AlipayConfig } from '../payment-config.js';
import { itemsFromTill, storeFromTill, storeOf } from '../store-of.js';
import { AlipayNotifySchema } from './schemas.js';

export interface AlipayDeps {
  config: AlipayConfig;
  sdk: () => Promise<AlipaySdk>;
  accruals: Accruals;
  clock: () => number;
  storePrefixes: ReadonlyArray<[string, string]>;
}

/**
 * The verifier, made on the first Alipay notification: alipay-sdk takes about
 * a quarter of a second to load, which every cold start of a cloud function
 * would pay even when it only ever sees WeChat Pay or staff calls.
 */
export function alipaySdk(config: AlipayConfig): () => Promise<AlipaySdk> {
  let made: Promise<AlipaySdk> | null = null;
  return () =>
    (made ??= import('alipay-sdk').then(
      ({ AlipaySdk }) =>
        new AlipaySdk({
          appId: config.appId,
          privateKey: config.privateKeyPem,
          alipayPublicKey: config.alipayPublicKeyPem,
          keyType: 'PKCS8',
          // Outbound calls (bills, order queries: alipay/api-client.ts); answers keep Alipay's field names.
          gateway: config.gateway,
          camelcase: false,
        }),
    ));
}

const fen = (yuan: string | undefined, field: string): number | null => {
  if (yuan === undefined || yuan === '') return null;
  try {
    return yuanToFen(yuan);
  } catch {
    throw malformed(`${field} "${yuan}" is not an amount in yuan.`);
  }
};

export async function handleAlipay(form: Record<string, string>, deps: AlipayDeps): Promise<AccrualResult | string> {
  if (form.sign_type !== 'RSA2') throw new DomainError('SIGNATURE_INVALID', 'Only sign_type=RSA2 is accepted.', 401);
  if (!(await deps.sdk()).checkNotifySignV2(form))
    throw new DomainError('SIGNATURE_INVALID', 'The sign does not verify.', 401);
  if (form.app_id !== deps.config.appId) throw malformed(`app_id ${form.app_id} is not this app.`);
  const n = parseOrMalformed(AlipayNotifySchema, form, 'notification');
  const total = fen(n.total_amount, 'total_amount') ?? 0;
  const refundFee = fen(n.refund_fee, 'refund_fee');
  const audit: Audit = {
    channel: 'alipay',
    notifyId: n.notify_id ?? null,
    eventType: n.trade_status,
    tradeNo: n.trade_no,
    refundKey: n.out_biz_no ?? null,
    amountFen: refundFee ?? total,
    payload: withoutSign(form),
  };
  // out_biz_no is unique only within its trade (and defaults to out_trade_no): key refunds by both.
  const refund = (outBizNo: string, amountFen: number) =>
    deps.accruals.recordRefund(
      { channel: 'alipay', tradeNo: n.trade_no, refundKey: `${n.trade_no}:${outBizNo}`, amountFen, cumulative: true },
      audit,
    );

  switch (n.trade_status) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED': {
      // A partial refund arrives as another TRADE_SUCCESS carrying refund_fee and out_biz_no.
      if (refundFee !== null && n.out_biz_no) return refund(n.out_biz_no, refundFee);
      return deps.accruals.recordPayment(tradeFact(n, deps), audit);
    }
    case 'TRADE_CLOSED':
      // With refund_fee the whole order was refunded; without it the order closed unpaid.
      if (refundFee !== null) return refund(n.out_biz_no ?? 'closed', Math.max(refundFee, total));
      await deps.accruals.recordOnly(audit, 'closed-unpaid');
      return 'closed-unpaid';
    default: {
      const result = `ignored:trade_status=${n.trade_status}`;
      await deps.accruals.recordOnly(audit, result);
      return result;
    }
  }
}

/**
 * A paid trade as a payment to credit: from a notification, or from
 * alipay.trade.query (reconciliation), whose answer names the same fields
 * except the buyer (buyer_user_id) and the payment time (send_pay_date).
 */
export function tradeFact(
  n: z.infer<typeof AlipayNotifySchema> & { buyer_user_id?: string; send_pay_date?: string },
  deps: Pick<AlipayDeps, 'clock' | 'storePrefixes'>,
): PaymentFact {
  const payer = n.buyer_id ?? n.buyer_user_id ?? n.buyer_open_id;
  if (!payer) throw malformed('trade: buyer_id (or buyer_open_id) is missing.');
  const total = fen(n.total_amount, 'total_amount') ?? 0;
  const paidAt = n.gmt_payment ?? n.send_pay_date;
  return {
    channel: 'alipay',
    tradeNo: n.trade_no,
    outTradeNo: n.out_trade_no ?? null,
    appId: n.app_id,
    payer: { kind: 'alipay_buyer', id: payer },
    totalFen: total,
    paidFen: fen(n.buyer_pay_amount, 'buyer_pay_amount') ?? total,
    storeId: storeOf(storeFromTill(n.passback_params) ?? n.store_id ?? null, n.out_trade_no, deps.storePrefixes),
    items: itemsFromTill(n.passback_params),
    // Alipay's times are Beijing time.
    paidAt: (paidAt && Date.parse(`${paidAt.replace(' ', 'T')}+08:00`)) || deps.clock(),
  };
}

function withoutSign(form: Record<string, string>): Record<string, string> {
  const { sign: _sign, ...rest } = form;
  return rest;
}

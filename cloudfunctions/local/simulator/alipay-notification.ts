/**
 * What Alipay sends: a form whose parameters (all but sign and sign_type,
 * sorted, `k=v` joined by `&`) are signed RSA2 (SHA256withRSA) with Alipay's
 * private key. Used by the sandbox simulator and the tests.
 */
import { randomBytes, sign } from 'node:crypto';

export function signAlipayParams(params: Record<string, string>, alipayPrivateKeyPem: string): Record<string, string> {
  const content = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return {
    ...params,
    sign_type: 'RSA2',
    sign: sign('RSA-SHA256', Buffer.from(content), alipayPrivateKeyPem).toString('base64'),
  };
}

export function alipayForm(params: Record<string, string>, alipayPrivateKeyPem: string): string {
  return new URLSearchParams(signAlipayParams(params, alipayPrivateKeyPem)).toString();
}

const beijing = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export function alipayTradeParams(o: {
  appId: string;
  tradeNo?: string;
  buyerId: string;
  totalAmount: string;
  buyerPayAmount?: string;
  status?: string;
  outTradeNo?: string;
  passback?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const params: Record<string, string> = {
    gmt_create: beijing(),
    charset: 'utf-8',
    notify_time: beijing(),
    notify_type: 'trade_status_sync',
    notify_id: `2026${randomBytes(12).toString('hex')}`,
    version: '1.0',
    app_id: o.appId,
    trade_no: o.tradeNo ?? `2026${Date.now()}${randomBytes(4).toString('hex')}`,
    out_trade_no: o.outTradeNo ?? `ORDER${Date.now()}`,
    trade_status: o.status ?? 'TRADE_SUCCESS',
    total_amount: o.totalAmount,
    receipt_amount: o.buyerPayAmount ?? o.totalAmount,
    buyer_pay_amount: o.buyerPayAmount ?? o.totalAmount,
    buyer_id: o.buyerId,
    seller_id: '2088000000000000',
    subject: '门店消费',
    gmt_payment: beijing(),
    ...o.extra,
  };
  if (o.passback) params.passback_params = o.passback;
  return params;
}

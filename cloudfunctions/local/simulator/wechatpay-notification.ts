/**
 * What WeChat Pay sends, built exactly as the platform does: the resource
 * encrypted with AES-256-GCM under the APIv3 key (tag appended), the body
 * signed with RSA-SHA256 over `timestamp\nnonce\nbody\n`. Used by the sandbox
 * simulator and by the tests (with keys they make).
 */
import { createCipheriv, randomBytes, sign } from 'node:crypto';

export interface WechatSigner {
  privateKeyPem: string;
  /** Wechatpay-Serial: a PUB_KEY_ID_... or a platform certificate serial. */
  serial: string;
  apiV3Key: string;
}

export interface SignedNotification {
  body: string;
  headers: Record<string, string>;
}

export function encryptResource(plain: unknown, apiV3Key: string, associatedData: string) {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), nonce, associated_data: associatedData };
}

export function signWechatBody(body: string, signer: WechatSigner, timestamp = Math.floor(Date.now() / 1000)) {
  const nonce = randomBytes(16).toString('hex');
  const signature = sign('RSA-SHA256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), signer.privateKeyPem).toString(
    'base64',
  );
  return {
    'content-type': 'application/json',
    'wechatpay-timestamp': String(timestamp),
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': signer.serial,
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

export function wechatNotification(
  eventType: string,
  resource: Record<string, unknown>,
  signer: WechatSigner,
  opts: { timestamp?: number; id?: string } = {},
): SignedNotification {
  const originalType = eventType.startsWith('REFUND.') ? 'refund' : 'transaction';
  const body = JSON.stringify({
    id: opts.id ?? `EV-${randomBytes(8).toString('hex')}`,
    create_time: new Date().toISOString().replace('Z', '+00:00'),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: originalType === 'refund' ? '退款成功' : '支付成功',
    resource: { ...encryptResource(resource, signer.apiV3Key, originalType), original_type: originalType },
  });
  return { body, headers: signWechatBody(body, signer, opts.timestamp) };
}

export function transactionResource(o: {
  mchId: string;
  appId: string;
  openid: string;
  totalFen: number;
  payerTotalFen?: number;
  transactionId?: string;
  outTradeNo?: string;
  attach?: string;
  tradeState?: string;
}): Record<string, unknown> {
  return {
    mchid: o.mchId,
    appid: o.appId,
    out_trade_no: o.outTradeNo ?? `ORDER${Date.now()}${randomBytes(2).toString('hex')}`,
    transaction_id: o.transactionId ?? `4200${Date.now()}${randomBytes(4).toString('hex')}`,
    trade_type: 'JSAPI',
    trade_state: o.tradeState ?? 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: o.attach ?? '',
    success_time: new Date().toISOString().replace('Z', '+00:00'),
    payer: { openid: o.openid },
    amount: { total: o.totalFen, payer_total: o.payerTotalFen ?? o.totalFen, currency: 'CNY', payer_currency: 'CNY' },
  };
}

export function refundResource(o: {
  mchId: string;
  transactionId: string;
  totalFen: number;
  refundFen: number;
  refundId?: string;
  status?: string;
}): Record<string, unknown> {
  return {
    mchid: o.mchId,
    out_trade_no: `ORDER-${o.transactionId}`,
    transaction_id: o.transactionId,
    out_refund_no: `R${Date.now()}`,
    refund_id: o.refundId ?? `5030${Date.now()}${randomBytes(4).toString('hex')}`,
    refund_status: o.status ?? 'SUCCESS',
    success_time: new Date().toISOString().replace('Z', '+00:00'),
    user_received_account: '支付用户零钱',
    amount: { total: o.totalFen, refund: o.refundFen, payer_total: o.totalFen, payer_refund: o.refundFen },
  };
}

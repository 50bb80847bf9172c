/**
 * A platform's answer to an order query, as the payment its notification
 * would have recorded (reconciliation compensates with it). Null when the
 * order is not paid there. An order refunded since still counts as paid:
 * the refund is its own fact, with its own notification.
 */
import { AlipayNotifySchema } from './alipay/schemas.js';
import { tradeFact, type AlipayDeps } from './alipay/handle.js';
import type { PaymentFact } from './accrual.js';
import { PlatformError } from './platform-error.js';
import { TransactionSchema } from './wechatpay/schemas.js';
import { transactionFact, type WechatPayDeps } from './wechatpay/handle.js';

const WECHAT_PAID = new Set(['SUCCESS', 'REFUND']);
const ALIPAY_PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

export function wechatOrderFact(
  order: Record<string, unknown>,
  deps: Pick<WechatPayDeps, 'config' | 'clock' | 'storePrefixes'>,
): PaymentFact | null {
  const t = TransactionSchema.safeParse(order);
  if (!t.success) throw new PlatformError('wechatpay', 'the order query answered an unexpected shape');
  if (t.data.mchid !== deps.config.mchId)
    throw new PlatformError('wechatpay', `the order is of merchant ${t.data.mchid}`);
  return WECHAT_PAID.has(t.data.trade_state) ? transactionFact(t.data, deps) : null;
}

export function alipayOrderFact(
  order: Record<string, string | undefined>,
  deps: Pick<AlipayDeps, 'config' | 'clock' | 'storePrefixes'>,
): PaymentFact | null {
  // alipay.trade.query does not repeat the app id: the answer is to our own signed request.
  const t = AlipayNotifySchema.safeParse({ ...order, app_id: deps.config.appId });
  if (!t.success) throw new PlatformError('alipay', 'the order query answered an unexpected shape');
  return ALIPAY_PAID.has(t.data.trade_status) ? tradeFact({ ...order, ...t.data }, deps) : null;
}

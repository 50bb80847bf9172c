/** The audit row a notification would write, for suites that call Accruals directly. */
import type { Audit } from '../../cloudfunctions/core/payments/accrual.js';

let seq = 0;

export const testAudit = (tradeNo: string): Audit => ({
  channel: 'wechatpay',
  notifyId: `EV-${++seq}`,
  eventType: 'TEST',
  tradeNo,
  refundKey: null,
  amountFen: null,
  payload: {},
});

/** One line of a payment platform's daily bill, whatever the platform: what reconciliation matches. */
import type { Channel } from '../../store/port.js';

export interface BillRow {
  channel: Channel;
  /** The platform's trade number (transaction_id / trade_no): the payment's exactly-once key. */
  tradeNo: string;
  outTradeNo: string | null;
  kind: 'payment' | 'refund';
  /** The order's amount for a payment, the amount refunded for a refund; integer fen. */
  amountFen: number;
  /** The refund's own number (refund_id / 退款批次号), null for a payment. */
  refundNo: string | null;
  /** The line in the bill file, for a person checking it by hand. */
  line: number;
}

export interface ParsedBill {
  rows: BillRow[];
  /** The bill's own count of rows, from its summary: a truncated download shows as a difference. */
  declaredRows: number | null;
}

/** The fields of an Alipay asynchronous notification that we read; all arrive as strings. */
import { z } from 'zod';

const id = z.string().min(1).max(64);

export const AlipayNotifySchema = z.looseObject({
  app_id: z.string(),
  notify_id: z.string().optional(),
  trade_no: id,
  out_trade_no: z.string().max(64).optional(),
  trade_status: z.string().min(1),
  total_amount: z.string().optional(),
  buyer_pay_amount: z.string().optional(),
  refund_fee: z.string().optional(),
  out_biz_no: z.string().max(64).optional(),
  gmt_payment: z.string().optional(),
  gmt_refund: z.string().optional(),
  buyer_id: z.string().max(64).optional(),
  buyer_open_id: z.string().max(128).optional(),
  passback_params: z.string().optional(),
  store_id: z.string().max(32).optional(),
});

/** What we read from WeChat Pay notifications; unknown fields pass through to the audit record. */
import { z } from 'zod';

export const EnvelopeSchema = z.object({
  id: z.string().min(1),
  create_time: z.string().optional(),
  event_type: z.string().min(1),
  resource_type: z.string().optional(),
  summary: z.string().optional(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
    original_type: z.string().optional(),
  }),
});

const fen = z.number().int().min(0).max(1e12);

export const TransactionSchema = z.looseObject({
  mchid: z.string(),
  appid: z.string(),
  out_trade_no: z.string().optional(),
  transaction_id: z.string().min(1).max(64),
  trade_state: z.string(),
  attach: z.string().optional(),
  success_time: z.string().optional(),
  payer: z.object({ openid: z.string().min(1).max(128) }).optional(),
  amount: z.object({ total: fen, payer_total: fen.optional() }),
});

export const RefundSchema = z.looseObject({
  mchid: z.string(),
  out_trade_no: z.string().optional(),
  transaction_id: z.string().min(1).max(64),
  refund_id: z.string().min(1).max(64),
  out_refund_no: z.string().optional(),
  refund_status: z.string(),
  amount: z.object({ total: fen, refund: fen, payer_total: fen.optional(), payer_refund: fen.optional() }),
});

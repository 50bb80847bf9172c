/**
 * How a member event counts in the daily report (DESIGN "Reports"), in one
 * place: the SQL backends turn these lists into CASE expressions and the
 * document backend applies `countEvent`. Every kind is covered, so
 * issued − redeemed − expired + adjusted is exactly the change of member
 * balances (holds and releases move no balance).
 */
export const ISSUED_KINDS = ['earn', 'claim', 'bonus'] as const;
export const SPENT_KINDS = ['redeem', 'capture'] as const;
/** Kinds that mean a member did something themselves that day. */
export const ACTIVE_KINDS = ['earn', 'claim', 'bonus', 'redeem', 'capture'] as const;

export interface Counted {
  issued: number;
  redeemed: number;
  expired: number;
  adjusted: number;
}

/** One event's part in each column; a refund's sign tells a payment clawed back (−) from points given back (+). */
export function countEvent(kind: string, delta: number): Counted {
  const c: Counted = { issued: 0, redeemed: 0, expired: 0, adjusted: 0 };
  if ((ISSUED_KINDS as readonly string[]).includes(kind) || (kind === 'refund' && delta < 0)) c.issued = delta;
  else if ((SPENT_KINDS as readonly string[]).includes(kind) || (kind === 'refund' && delta > 0)) c.redeemed = -delta;
  else if (kind === 'expire') c.expired = -delta;
  else if (kind === 'adjust') c.adjusted = delta;
  return c;
}

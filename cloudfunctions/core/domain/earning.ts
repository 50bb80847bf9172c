/**
 * Points for a payment and what a refund takes back. The default rule until
 * operators configure one: 1 point per whole yuan actually paid.
 */
export function pointsForPayment(paidFen: number): number {
  return Math.floor(paidFen / 100);
}

/**
 * Growth value (成长值) a payment still gives after its refunds: 1 per whole
 * yuan paid, taken back in the same proportion as points.
 */
export function growthNet(paidFen: number, refundedFen: number, totalFen: number): number {
  const growth = Math.floor(paidFen / 100);
  return growth - clawbackTarget(growth, refundedFen, totalFen);
}

/**
 * Clawback is cumulative (DESIGN): after each refund the points taken back so
 * far are floor(earned × refunded ÷ total), so a full refund returns exactly
 * what was earned. BigInt keeps the product exact for any amounts.
 */
export function clawbackTarget(earned: number, refundedFen: number, totalFen: number): number {
  if (earned <= 0 || refundedFen <= 0 || totalFen <= 0) return 0;
  if (refundedFen >= totalFen) return earned;
  return Number((BigInt(earned) * BigInt(refundedFen)) / BigInt(totalFen));
}

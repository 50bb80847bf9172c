/**
 * Tiers by growth value (成长值), which accrues separately from points and is
 * never spent: 1 per whole yuan paid, taken back in proportion by refunds,
 * never touched by redemption or expiry (DESIGN "Tiers").
 *
 * Growth counts over a rolling period (12 months by default), in monthly
 * buckets. A member moves up the moment their rolling growth reaches a
 * higher tier, and then holds that tier for a whole period; at the period's
 * end the tier is evaluated again and may move down (保级: keep it by
 * earning its threshold again within the period).
 */
export interface Tier {
  code: string;
  name: string;
  minGrowth: number;
  /** Earning multiplier of the tier's rate points (1 = none); at most two decimals. */
  multiplier: number;
  /** Points given once a year on the member's birthday (0 = none). */
  birthdayGift: number;
  /** What the member app lists under the tier. */
  benefits: string[];
}

export interface TierLadder {
  tiers: Tier[];
  /** The rolling period, in months. */
  periodMonths: number;
}

/**
 * DESIGN's default thresholds. No tier changes earning until an operator
 * gives it benefits (PUT /api/admin/tiers): a default that silently paid
 * silver members 1.2× would be a rate nobody chose.
 */
export const DEFAULT_LADDER: TierLadder = {
  periodMonths: 12,
  tiers: [
    { code: 'bronze', name: '铜卡会员', minGrowth: 0, multiplier: 1, birthdayGift: 0, benefits: [] },
    { code: 'silver', name: '银卡会员', minGrowth: 1_000, multiplier: 1, birthdayGift: 0, benefits: [] },
    { code: 'gold', name: '金卡会员', minGrowth: 5_000, multiplier: 1, birthdayGift: 0, benefits: [] },
    { code: 'diamond', name: '钻石会员', minGrowth: 20_000, multiplier: 1, birthdayGift: 0, benefits: [] },
  ],
};

/** Growth of a payment: 1 per whole yuan paid. */
export const growthOfPayment = (paidFen: number) => Math.floor(paidFen / 100);

/** The highest tier whose threshold `growth` reaches (the first tier when none does). */
export function tierAt(growth: number, ladder: TierLadder): Tier {
  return ladder.tiers.reduce((found, t) => (growth >= t.minGrowth ? t : found), ladder.tiers[0]!);
}

export const rankOf = (code: string | null | undefined, ladder: TierLadder) =>
  Math.max(
    0,
    ladder.tiers.findIndex((t) => t.code === code),
  );

/** The tier held and the period it holds for, after the rolling growth changed at `now`. */
export function afterGrowth(
  held: { tier: string | null; tierUntil: number | null },
  rollingGrowth: number,
  now: number,
  periodEnd: (from: number) => number,
  ladder: TierLadder,
): { tier: string; tierUntil: number | null } {
  const reached = tierAt(rollingGrowth, ladder);
  const heldCode = held.tier ?? ladder.tiers[0]!.code;
  if (rankOf(reached.code, ladder) > rankOf(heldCode, ladder)) {
    return { tier: reached.code, tierUntil: periodEnd(now) }; // up at once, held for a whole period
  }
  return { tier: heldCode, tierUntil: held.tierUntil };
}

/** At the end of the held tier's period: the tier the rolling growth earns now (it may be lower). */
export function atPeriodEnd(
  rollingGrowth: number,
  now: number,
  periodEnd: (from: number) => number,
  ladder: TierLadder,
): { tier: string; tierUntil: number | null } {
  const reached = tierAt(rollingGrowth, ladder);
  return { tier: reached.code, tierUntil: rankOf(reached.code, ladder) === 0 ? null : periodEnd(now) };
}

/** What `me.tier` shows: the tier held, the rolling growth, and how far the next tier is. */
export function tierView(heldCode: string | null, rollingGrowth: number, ladder: TierLadder) {
  const rank = rankOf(heldCode, ladder);
  const current = ladder.tiers[rank]!;
  const next = ladder.tiers[rank + 1];
  return {
    code: current.code,
    name: current.name,
    growth: rollingGrowth,
    next: next ? { code: next.code, name: next.name, growthNeeded: Math.max(0, next.minGrowth - rollingGrowth) } : null,
  };
}

/** Round 1's view, growth as the only input: the default ladder, nothing held. */
export function tierFor(growth: number, ladder: TierLadder = DEFAULT_LADDER) {
  return tierView(tierAt(growth, ladder).code, growth, ladder);
}

/**
 * Tiers by growth value (成长值), which accrues separately from points and is
 * never spent. These thresholds are the default ladder until operators
 * configure their own (rules issue).
 */
export interface Tier {
  code: 'bronze' | 'silver' | 'gold' | 'diamond';
  name: string;
  minGrowth: number;
}

export const DEFAULT_TIERS: readonly Tier[] = [
  { code: 'bronze', name: '铜卡会员', minGrowth: 0 },
  { code: 'silver', name: '银卡会员', minGrowth: 1_000 },
  { code: 'gold', name: '金卡会员', minGrowth: 5_000 },
  { code: 'diamond', name: '钻石会员', minGrowth: 20_000 },
];

export function tierFor(growth: number, tiers: readonly Tier[] = DEFAULT_TIERS) {
  const index = tiers.reduce((found, t, i) => (growth >= t.minGrowth ? i : found), 0);
  const current = tiers[index]!;
  const next = tiers[index + 1];
  return {
    code: current.code,
    name: current.name,
    growth,
    next: next ? { code: next.code, name: next.name, growthNeeded: next.minGrowth - growth } : null,
  };
}

/**
 * The rewards catalog's rules, pure: what a reward is, who may redeem it and
 * when, and the refusal codes a member sees (the app shows REFUSALS_ZH).
 */
import { DateTime } from 'luxon';
import { DomainError } from './errors.js';
export { REFUSALS_ZH } from './refusals-zh.js';

export type RewardKind = 'gift' | 'coupon' | 'cash';
export type LimitPeriod = 'day' | 'week' | 'month' | 'total';

export interface RewardSpec {
  description?: string;
  imageUrl?: string;
  /** At most `count` redemptions per member per period. */
  perMember?: { count: number; period: LimitPeriod };
  validFrom?: number | null;
  validTo?: number | null;
  /** Tier codes allowed; empty or absent = everyone. */
  tiers?: string[];
  /** Stores where the voucher can be used; empty or absent = every store. */
  storeIds?: string[];
  /** Days a voucher stays valid after redemption; absent = until used. */
  voucherDays?: number;
  coupon?: { type: 'amount_off' | 'discount'; amountOffFen?: number; discountPercent?: number; thresholdFen?: number };
  cash?: { pointsPerYuan: number; maxShareBps: number };
}

export interface Reward {
  id: string;
  name: string;
  kind: RewardKind;
  pointsCost: number;
  /** null = unlimited. */
  stock: number | null;
  spec: RewardSpec;
  active: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
}

const refuse = (code: string, status: 409 | 403 | 410, message: string) => new DomainError(code, message, status);

export const refusals = {
  inDebt: () => refuse('MEMBER_IN_DEBT', 409, 'The member owes points and cannot redeem until repaid.'),
  inactive: () => refuse('REWARD_INACTIVE', 409, 'This reward is not available.'),
  notStarted: () => refuse('REWARD_NOT_STARTED', 409, 'This reward is not available yet.'),
  ended: () => refuse('REWARD_ENDED', 410, 'This reward is no longer available.'),
  notEligible: () => refuse('NOT_ELIGIBLE', 403, "The member's tier may not redeem this reward."),
  outOfStock: () => refuse('OUT_OF_STOCK', 409, 'This reward is out of stock.'),
  limitReached: () => refuse('LIMIT_REACHED', 409, 'The member reached the limit for this reward.'),
  dailyCap: () => refuse('DAILY_CAP_REACHED', 409, "The member reached today's redemption cap."),
};

/** Throws the refusal that applies, if any, before anything is written. */
export function assertRedeemable(reward: Reward, tierCode: string, now: number): void {
  if (!reward.active) throw refusals.inactive();
  if (reward.spec.validFrom && now < reward.spec.validFrom) throw refusals.notStarted();
  if (reward.spec.validTo && now > reward.spec.validTo) throw refusals.ended();
  const tiers = reward.spec.tiers ?? [];
  if (tiers.length > 0 && !tiers.includes(tierCode)) throw refusals.notEligible();
}

/** Start of the period that `now` falls in, in the business zone; 0 for 'total'. */
export function periodStart(period: LimitPeriod, now: number, timeZone: string): number {
  if (period === 'total') return 0;
  const unit = period === 'day' ? 'day' : period === 'week' ? 'week' : 'month';
  return DateTime.fromMillis(now, { zone: timeZone }).startOf(unit).toMillis();
}

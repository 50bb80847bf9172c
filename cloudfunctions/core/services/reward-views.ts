/** Rewards and vouchers as every transport shows them (times in the business zone). */
import type { Reward } from '../domain/rewards.js';
import { isoInZone } from '../domain/time.js';
import type { VoucherView } from './redemption.js';

export const rewardView = (r: Reward, tz: string) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  pointsCost: r.pointsCost,
  stock: r.stock,
  active: r.active,
  spec: r.spec as Record<string, unknown>,
  updatedAt: isoInZone(r.updatedAt, tz),
});

export const voucherView = (v: VoucherView, tz: string) => ({
  ...v,
  expiresAt: v.expiresAt === null ? null : isoInZone(v.expiresAt, tz),
  createdAt: isoInZone(v.createdAt, tz),
});

/** A pay code or its status: the expiry as a business-zone timestamp. */
export const payCodeView = <T extends { expiresAt: number }>(
  v: T,
  tz: string,
): Omit<T, 'expiresAt'> & { expiresAt: string } => ({
  ...v,
  expiresAt: isoInZone(v.expiresAt, tz),
});

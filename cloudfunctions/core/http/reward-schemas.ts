/** Shapes of the rewards catalog and vouchers on the wire. */
import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../domain/amounts.js';

const StoreId = z.string().regex(/^[\w-]{1,32}$/);

export const RewardSpecSchema = z
  .object({
    description: z.string().max(500).optional(),
    imageUrl: z.string().url().max(500).optional(),
    perMember: z
      .object({ count: z.number().int().min(1).max(1000), period: z.enum(['day', 'week', 'month', 'total']) })
      .optional(),
    validFrom: z.number().int().positive().nullable().optional(),
    validTo: z.number().int().positive().nullable().optional(),
    // Tier codes of the configured ladder (PUT /api/admin/tiers), not only the four default ones.
    tiers: z
      .array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a tier code'))
      .max(10)
      .optional(),
    storeIds: z.array(StoreId).max(500).optional(),
    voucherDays: z.number().int().min(1).max(3650).optional(),
    coupon: z
      .object({
        type: z.enum(['amount_off', 'discount']),
        amountOffFen: z.number().int().min(1).max(MAX_AMOUNT).optional(),
        discountPercent: z.number().int().min(1).max(99).optional(),
        thresholdFen: z.number().int().min(0).max(MAX_AMOUNT).optional(),
      })
      .optional(),
    cash: z
      .object({ pointsPerYuan: z.number().int().min(1).max(10_000), maxShareBps: z.number().int().min(1).max(10_000) })
      .optional(),
  })
  .strict();

export const RewardInputSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    kind: z.enum(['gift', 'coupon', 'cash']),
    pointsCost: z.number().int().min(1).max(MAX_AMOUNT),
    stock: z.number().int().min(0).max(MAX_AMOUNT).nullable(),
    active: z.boolean().optional(),
    spec: RewardSpecSchema.optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'coupon' || r.spec?.coupon, {
    message: 'a coupon needs spec.coupon',
    path: ['spec', 'coupon'],
  })
  .refine((r) => r.kind !== 'cash' || r.spec?.cash, {
    message: 'points-as-cash needs spec.cash',
    path: ['spec', 'cash'],
  });

export const RewardPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    pointsCost: z.number().int().min(1).max(MAX_AMOUNT).optional(),
    stock: z.number().int().min(0).max(MAX_AMOUNT).nullable().optional(),
    active: z.boolean().optional(),
    spec: RewardSpecSchema.optional(),
  })
  .strict();

export const RewardSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['gift', 'coupon', 'cash']),
    pointsCost: z.number().int(),
    stock: z.number().int().nullable(),
    active: z.boolean(),
    spec: z.record(z.string(), z.unknown()),
    updatedAt: z.string(),
  })
  .openapi('Reward');

export const VoucherSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    qr: z.string().nullable().openapi({
      description:
        'SVG data URL of the code, while usable; lists carry null (GET /api/member/vouchers/{voucherId} has it)',
    }),
    rewardId: z.string(),
    rewardName: z.string(),
    points: z.number().int(),
    status: z.enum(['pending_review', 'issued', 'used', 'expired', 'cancelled', 'rejected']),
    expiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Voucher');

export { rewardView, voucherView } from '../services/reward-views.js';

/**
 * What a member sends for each action, declared once for both transports:
 * the HTTP routes (which also document them in /openapi.json) and the
 * mini-program's callFunction entry (which makes them strict).
 */
import { z } from 'zod';
import { MAX_AMOUNT } from '../domain/amounts.js';

export const PhoneCodeInput = z.object({ code: z.string().trim().min(1).max(128) });
export const ClaimInput = z.object({ ticket: z.string().trim().min(1).max(32) });
export const RedeemInput = z.object({
  rewardId: z.string().min(1).max(64),
  requestId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.:-]+$/),
});
export const PayCodeInput = z.object({ points: z.number().int().min(1).max(MAX_AMOUNT).nullable().optional() });
/** The template ids the member accepted in one requestSubscribeMessage (WeChat allows 3 at a time). */
export const SubscriptionsInput = z.object({ accepted: z.array(z.string().min(1).max(128)).min(1).max(3) });
/** The birthday, set once: MM-DD or YYYY-MM-DD. */
export const ProfileInput = z.object({
  birthday: z.string().regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD or YYYY-MM-DD'),
});
/** A referral code from a shared link. */
export const ReferralInput = z.object({ code: z.string().min(3).max(100) });

/** Request and response shapes, declared once: they validate input and generate /openapi.json. */
import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../domain/amounts.js';
import { EVENT_KINDS } from '../store/port.js';
import { MAX_PAGE } from '../services/history.js';

export const ErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'INSUFFICIENT_POINTS' }),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .openapi('Error');

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'error', content: { 'application/json': { schema: ErrorSchema } } }]),
  );

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const TierSchema = z.object({
  code: z.string(),
  name: z.string(),
  growth: z.number().int(),
  next: z.object({ code: z.string(), name: z.string(), growthNeeded: z.number().int() }).nullable(),
});

export const MemberViewSchema = z
  .object({
    id: z.string(),
    balance: z.number().int(),
    available: z.number().int(),
    held: z.number().int(),
    phone: z.string().nullable().openapi({ example: '138****1234' }),
    status: z.enum(['active', 'frozen']),
    birthday: z.string().nullable().openapi({ example: '03-15', description: 'MM-DD or YYYY-MM-DD; set once' }),
    tier: TierSchema,
    expiring: z.object({ points: z.number().int(), firstAt: z.string() }).nullable(),
    nextExpiry: z
      .object({ points: z.number().int(), at: z.string().openapi({ example: '2027-12-03T23:59:59.999+08:00' }) })
      .nullable(),
    createdAt: z.string(),
  })
  .openapi('Member');

export const HistoryItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(EVENT_KINDS),
    delta: z.number().int(),
    balanceAfter: z.number().int().nullable(),
    heldAfter: z.number().int().nullable(),
    storeId: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string().openapi({ example: '2026-11-25T17:03:00.000+08:00' }),
  })
  .openapi('HistoryItem');

export const HistoryPageSchema = z.object({
  items: z.array(HistoryItemSchema),
  nextCursor: z.string().nullable(),
});

export const HistoryQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional(),
});

export const LoginBodySchema = z.object({ code: z.string().trim().min(1).max(128) });

export const LoginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  member: MemberViewSchema,
});

const idempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.:-]+$/, 'may contain letters, digits and . _ : - only');

export const AdjustBodySchema = z.object({
  points: z
    .number()
    .int()
    .min(-MAX_AMOUNT)
    .max(MAX_AMOUNT)
    .refine((p) => p !== 0, 'must not be 0: positive grants, negative deducts'),
  reason: z.string().trim().min(1).max(200),
  idempotencyKey,
});

export const MemberIdParamSchema = z.object({
  memberId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'memberId', in: 'path' } }),
});

export const LedgerReportSchema = z.object({
  ok: z.boolean(),
  problems: z.array(z.string()),
  totals: z.object({
    members: z.number().int(),
    system: z.number().int(),
    liability: z.number().int(),
    accounts: z.number().int(),
  }),
});

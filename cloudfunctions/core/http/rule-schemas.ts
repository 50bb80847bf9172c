/** Earning rules, the holiday calendar and the tier ladder on the wire (DESIGN "Earning rules", "Tiers"). */
import { z } from '@hono/zod-openapi';
import { MAX_AMOUNT } from '../domain/amounts.js';
import { RULE_CHANNELS } from '../domain/earning-rules.js';

const StoreId = z.string().regex(/^[\w-]{1,32}$/);
const Code = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _');
const Label = z.string().trim().min(1).max(32);
const Date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Time = z.string().regex(/^\d{2}:\d{2}$/, 'HH:mm');
/** Rates: positive, at most 100, at most two decimals (kept as hundredths). */
const Rate = z
  .number()
  .min(0)
  .max(100)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, 'at most two decimals');
const Points = z.number().int().min(1).max(1_000_000);

export const RuleWhenSchema = z
  .object({
    channels: z.array(z.enum(RULE_CHANNELS as [string, ...string[]])).max(3),
    storeIds: z.array(StoreId).max(500),
    regions: z.array(Label).max(100),
    tiers: z.array(Code).max(10),
    minPaidFen: z.number().int().min(0).max(MAX_AMOUNT),
    maxPaidFen: z.number().int().min(0).max(MAX_AMOUNT),
    weekdays: z.array(z.number().int()).max(7),
    timeFrom: Time,
    timeTo: Time,
    dateFrom: Date,
    dateTo: Date,
    birthday: z.boolean(),
    holidays: z.boolean(),
    categories: z.array(Label).max(50),
  })
  .partial()
  .strict()
  .openapi('RuleWhen');

export const RuleThenSchema = z
  .union([
    z.object({ multiplier: Rate }).strict(),
    z.object({ pointsPerYuan: Rate }).strict(),
    z.object({ bonus: Points }).strict(),
    z.object({ exclude: z.literal(true) }).strict(),
  ])
  .openapi('RuleThen', { description: 'exactly one of multiplier, pointsPerYuan, bonus, exclude' });

export const RuleCapsSchema = z
  .object({ perEvent: Points, perMemberPerDay: Points, perMemberPerMonth: Points })
  .partial()
  .strict();

const RuleFields = {
  name: z.string().trim().min(1).max(40),
  priority: z.number().int().min(-1000).max(1000),
  stacking: z.enum(['best', 'add']),
  when: RuleWhenSchema,
  then: RuleThenSchema,
  caps: RuleCapsSchema,
};

export const RuleInputSchema = z
  .object({
    ...RuleFields,
    priority: RuleFields.priority.default(0),
    stacking: RuleFields.stacking.default('best'),
    when: RuleWhenSchema.default({}),
    caps: RuleCapsSchema.default({}),
  })
  .strict()
  .openapi('RuleInput');

export const RulePatchSchema = z.object(RuleFields).partial().strict().openapi('RulePatch');

const Problem = z.object({ path: z.string(), message: z.string() });

export const RuleSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(['draft', 'active', 'archived']),
    activeVersion: z.number().int().nullable(),
    pendingApproval: z
      .object({ version: z.number().int(), requestedBy: z.string(), requestedAt: z.number().int() })
      .nullable(),
    ...RuleFields,
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    updatedBy: z.string(),
    warnings: z.array(Problem),
  })
  .openapi('Rule');

export const RuleVersionSchema = z.object({
  version: z.number().int(),
  body: z.object(RuleFields).partial(),
  actor: z.string(),
  createdAt: z.number().int(),
});

export const DryRunSchema = z
  .object({
    orders: z
      .array(
        z
          .object({
            channel: z.enum(RULE_CHANNELS as [string, ...string[]]),
            storeId: StoreId.nullable().default(null),
            paidFen: z.number().int().min(0).max(MAX_AMOUNT),
            at: z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).optional(),
            memberId: z.string().min(1).max(64).nullable().optional(),
            items: z
              .array(
                z.object({
                  sku: z.string().max(64).optional(),
                  category: Label,
                  quantity: z.number().int().min(1).max(100_000).optional(),
                  amountFen: z.number().int().min(0).max(MAX_AMOUNT),
                }),
              )
              .max(200)
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    /** true: every rule's newest version (drafts too), as if all were published. */
    drafts: z.boolean().default(false),
  })
  .strict()
  .openapi('RuleDryRun');

export const DryRunResultSchema = z.object({
  results: z.array(
    z.object({
      points: z.number().int(),
      base: z.number().int(),
      ruleIds: z.array(z.string()),
      rules: z.array(z.object({ id: z.string(), version: z.number().int(), points: z.number().int() })),
    }),
  ),
});

export const HolidaysSchema = z
  .object({ dates: z.array(Date).max(400) })
  .strict()
  .openapi('Holidays');

export const TierLadderSchema = z
  .object({
    periodMonths: z.number().int().min(1).max(36).default(12),
    tiers: z
      .array(
        z
          .object({
            code: Code,
            name: Label,
            minGrowth: z.number().int().min(0).max(100_000_000),
            multiplier: Rate.refine((v) => v >= 1, 'a tier never earns below the base rate').default(1),
            birthdayGift: z.number().int().min(0).max(1_000_000).default(0),
            benefits: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
          })
          .strict(),
      )
      .min(1)
      .max(10),
  })
  .strict()
  .openapi('TierLadder');

export const ExpirySettingsSchema = z
  .object({
    mode: z.enum(['rolling', 'yearly']),
    days: z.number().int().min(0).max(3650).default(0),
    clearOn: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD')
      .nullable()
      .default(null),
    afterYears: z.number().int().min(1).max(10).nullable().default(null),
    reminders: z.array(z.number().int().min(1).max(365)).max(5).default([30, 7, 1]),
  })
  .strict()
  .openapi('ExpiryPolicy', {
    description:
      'rolling: a credit lives `days` (0 = never expires); yearly: points of year Y clear at the end of clearOn in Y + afterYears',
  });

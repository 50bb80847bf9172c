/**
 * Environment → typed configuration, validated once at start. Sandbox mode is
 * on exactly when WECHAT_APPID is unset (DESIGN, "Sandbox is all or nothing").
 * Outside sandbox JIFEN_ADMIN_TOKEN and JIFEN_SECRET are required; in sandbox
 * the caller supplies generated ones (local/sandbox-secrets.ts).
 */
import { z } from 'zod';
import { isValidTimeZone } from './domain/time.js';
import { isPostgresUrl } from './store/open-store.js';
import { KeyError } from './payments/keys.js';
import { parseTemplates, type Templates } from './services/message-templates.js';
import { DEFAULT_LIMITS, LIMIT_NAMES, type LimitName, type LimitRule } from './services/rate-limits.js';
import {
  alipayConfig,
  orderStorePrefixes,
  wechatPayConfig,
  type AlipayConfig,
  type SandboxPaymentKeys,
  type WechatPayConfig,
} from './payments/payment-config.js';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).max(255).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('sqlite:data/jifen.db'),
  JIFEN_ADMIN_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** A token for Prometheus alone: it reads /metrics and nothing else. */
  /** What one point is worth in fen, for the liability in reports (DESIGN: default 1). */
  JIFEN_POINT_VALUE_FEN: z.coerce.number().int().min(0).max(10_000).default(1),
  JIFEN_METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  JIFEN_SECRET: optional.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JIFEN_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  JIFEN_POINTS_TTL_DAYS: z.coerce.number().int().min(0).max(3650).default(365),
  // PIPL: a deletion request is answered within 15 working days unless the merchant's policy promises sooner.
  JIFEN_DELETION_WORKING_DAYS: z.coerce.number().int().min(1).max(15).default(15),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WECHAT_APPID: optional,
  WECHAT_SECRET: optional,
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  JIFEN_PUBLIC_URL: z.string().url().optional(),
  JIFEN_SUBSCRIBE_TEMPLATES: optional,
  JIFEN_REVIEW_THRESHOLD: z.coerce.number().int().min(0).default(0),
  JIFEN_DAILY_REDEMPTION_CAP: z.coerce.number().int().min(0).default(0),
  JIFEN_CASH_POINTS_PER_YUAN: z.coerce.number().int().min(1).max(10_000).default(100),
  JIFEN_CASH_MAX_SHARE_BPS: z.coerce.number().int().min(1).max(10_000).default(5000),
  JIFEN_TILL_REFUND_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  JIFEN_PAYER_LINK_CLAIMS: z.coerce.number().int().min(0).max(100).default(2),
  JIFEN_RULES_APPROVAL: z.enum(['on', 'off']).default('off'),
  JIFEN_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  JIFEN_NOTIFY_CONCURRENCY: z.coerce.number().int().min(0).max(1000).optional(),
  JIFEN_RATE_LIMITS: optional,
  JIFEN_TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  JIFEN_WEBHOOK_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
});

export interface Config {
  port: number;
  /** Loopback unless a self-hosted server must take traffic from a load balancer. */
  host: string;
  databaseUrl: string;
  sandbox: boolean;
  adminToken: string;
  /** Webhook URLs on loopback or private addresses allowed (tests only; DESIGN). */
  webhookAllowPrivate: boolean;
  /** Reads /metrics only; null: only HQ credentials read it. */
  metricsToken: string | null;
  /** Fen per point: values the liability in reports. */
  pointValueFen: number;
  secret: string;
  timeZone: string;
  pointsTtlDays: number;
  deletionWorkingDays: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  wechat: { appId: string | null; secret: string | null; apiBase: string };
  /** null when not configured (and not sandbox): the notify route then answers 503. */
  wechatpay: WechatPayConfig | null;
  alipay: AlipayConfig | null;
  /** Redemptions costing at least this many points wait for review (0 = never); points per member per day (0 = no cap). */
  redemption: { reviewThreshold: number; dailyCap: number };
  /** Pay with points at the till: N points = 1 yuan, at most this share of a bill. */
  cash: { pointsPerYuan: number; maxShareBps: number };
  /** A store manager may refund a points payment at the till this many days after it (0 = no limit). */
  tillRefundDays: number;
  /** Orders of one payer a member must claim before that payer's payments accrue to them directly (0 = never). */
  payerLinkClaims: number;
  /** JIFEN_RULES_APPROVAL=on: publishing an earning rule needs a second operator's approval. */
  rulesApproval: boolean;
  /**
   * Payment notifications this server works on at once; the rest wait their turn (0 = no bound; http/admission.ts).
   * By default 8 on PostgreSQL, where it kept members' reads answered during a burst; none on SQLite, whose group
   * commit gathers what arrives together (a bound there measured 5–12 % slower, reads no better beyond noise).
   */
  notifyConcurrency: number;
  /** null when JIFEN_RATE_LIMIT=off. */
  rateLimits: Record<LimitName, LimitRule> | null;
  /** Take the client's address from the last X-Forwarded-For hop (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Outbox topic → subscribe-message template (services/message-templates.ts). */
  subscribeTemplates: Templates;
  /** Where members' phones reach the H5 app (links in checkout QR codes). */
  publicUrl: string;
  /** out_trade_no prefix → store id, longest first. */
  orderStorePrefixes: Array<[string, string]>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface SandboxSecrets {
  adminToken: string;
  secret: string;
}

/** What sandbox mode generates and keeps in the data directory (local/sandbox-secrets.ts). */
export interface SandboxProviders {
  secrets(): SandboxSecrets;
  paymentKeys(): SandboxPaymentKeys;
}

const noSandbox: SandboxProviders = {
  secrets: () => {
    throw new ConfigError('sandbox secrets were not provided');
  },
  paymentKeys: () => {
    throw new ConfigError('sandbox payment keys were not provided');
  },
};

export function loadConfig(env: Record<string, string | undefined>, provide: SandboxProviders = noSandbox): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const sandbox = e.WECHAT_APPID === undefined;
  if (sandbox && !isLoopback(e.HOST)) {
    throw new ConfigError(
      `Sandbox mode (WECHAT_APPID is not set) listens on loopback only, and HOST is ${e.HOST}: in sandbox any login ` +
        'code is that member and any phone code is that phone, so on a network anyone could act as any member. ' +
        'Unset HOST (or use 127.0.0.1), or configure WECHAT_APPID and the other credentials.',
    );
  }
  if (!sandbox) {
    for (const name of ['JIFEN_ADMIN_TOKEN', 'JIFEN_SECRET', 'WECHAT_SECRET'] as const) {
      if (e[name] === undefined) throw new ConfigError(`${name} is required when WECHAT_APPID is set.`);
    }
  }
  const generated = sandbox && (!e.JIFEN_ADMIN_TOKEN || !e.JIFEN_SECRET) ? provide.secrets() : undefined;
  const sandboxKeys = sandbox ? () => provide.paymentKeys() : undefined;
  let payments: Pick<Config, 'wechatpay' | 'alipay' | 'orderStorePrefixes'>;
  try {
    payments = {
      wechatpay: wechatPayConfig(env, e.WECHAT_APPID ?? null, sandboxKeys),
      alipay: alipayConfig(env, sandboxKeys),
      orderStorePrefixes: orderStorePrefixes(env),
    };
  } catch (err) {
    if (err instanceof KeyError) throw new ConfigError(err.message);
    throw err;
  }
  let subscribeTemplates: Templates;
  try {
    subscribeTemplates = parseTemplates(e.JIFEN_SUBSCRIBE_TEMPLATES);
  } catch (err) {
    throw new ConfigError(`JIFEN_SUBSCRIBE_TEMPLATES is not valid: ${(err as Error).message}`);
  }
  return {
    ...payments,
    subscribeTemplates,
    redemption: { reviewThreshold: e.JIFEN_REVIEW_THRESHOLD, dailyCap: e.JIFEN_DAILY_REDEMPTION_CAP },
    cash: { pointsPerYuan: e.JIFEN_CASH_POINTS_PER_YUAN, maxShareBps: e.JIFEN_CASH_MAX_SHARE_BPS },
    tillRefundDays: e.JIFEN_TILL_REFUND_DAYS,
    payerLinkClaims: e.JIFEN_PAYER_LINK_CLAIMS,
    rulesApproval: e.JIFEN_RULES_APPROVAL === 'on',
    notifyConcurrency: e.JIFEN_NOTIFY_CONCURRENCY ?? (isPostgresUrl(e.DATABASE_URL) ? 8 : 0),
    rateLimits: e.JIFEN_RATE_LIMIT === 'off' ? null : rateLimitRules(e.JIFEN_RATE_LIMITS),
    trustProxy: e.JIFEN_TRUST_PROXY === 'on',
    webhookAllowPrivate: e.JIFEN_WEBHOOK_ALLOW_PRIVATE === 'on',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    sandbox,
    adminToken: e.JIFEN_ADMIN_TOKEN ?? generated!.adminToken,
    metricsToken: e.JIFEN_METRICS_TOKEN ?? null,
    pointValueFen: e.JIFEN_POINT_VALUE_FEN,
    secret: e.JIFEN_SECRET ?? generated!.secret,
    timeZone: e.JIFEN_TIMEZONE,
    pointsTtlDays: e.JIFEN_POINTS_TTL_DAYS,
    deletionWorkingDays: e.JIFEN_DELETION_WORKING_DAYS,
    publicUrl: (e.JIFEN_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    wechat: { appId: e.WECHAT_APPID ?? null, secret: e.WECHAT_SECRET ?? null, apiBase: e.WECHAT_API_BASE },
  };
}

const LimitsSchema = z
  .partialRecord(
    z.enum(LIMIT_NAMES),
    z.object({ points: z.number().int().min(1).max(1_000_000), seconds: z.number().int().min(1).max(86_400) }).strict(),
  )
  .optional();

/** JIFEN_RATE_LIMITS: JSON such as {"claim":{"points":10,"seconds":60}}, over the defaults. */
function rateLimitRules(json: string | undefined): Record<LimitName, LimitRule> {
  if (json === undefined) return DEFAULT_LIMITS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError('JIFEN_RATE_LIMITS is not valid JSON.');
  }
  const checked = LimitsSchema.safeParse(parsed);
  if (!checked.success) {
    const i = checked.error.issues[0];
    throw new ConfigError(
      `JIFEN_RATE_LIMITS: ${i?.path.join('.') || 'value'}: ${i?.message ?? 'invalid'} (limits: ${LIMIT_NAMES.join(', ')})`,
    );
  }
  return { ...DEFAULT_LIMITS, ...checked.data };
}

/** 127.0.0.0/8, ::1 and localhost: addresses nothing outside this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

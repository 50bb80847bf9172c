/**
 * The ledger schema, written once for both SQL backends. Constraints live in
 * the schema (pgledger's shape): unique idempotency keys, non-zero entries,
 * lots that never go below zero, holds that are never negative. Each
 * backend's migrations.ts adds its own immutability triggers.
 */
import { SYSTEM_ACCOUNTS, systemShardIds } from '../../domain/accounts.js';
import { EVENT_KINDS } from '../port.js';

export interface SchemaTypes {
  /** An auto-increasing integer primary key. */
  serial: string;
  /** A 64-bit integer. */
  int: string;
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The system accounts migration 1 made; later ones are added by their own migration. */
const V1_SYSTEM_ACCOUNTS = SYSTEM_ACCOUNTS.filter((name) => name !== 'forfeited');

export function ledgerSchema(t: SchemaTypes): string[] {
  const shards = V1_SYSTEM_ACCOUNTS.flatMap((name) => systemShardIds(name));
  return [
    `CREATE TABLE members (
      id TEXT PRIMARY KEY,
      openid TEXT UNIQUE,
      unionid TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen')),
      growth ${t.int} NOT NULL DEFAULT 0 CHECK (growth >= 0),
      created_at ${t.int} NOT NULL
    )`,
    `CREATE TABLE accounts (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('member', 'system')),
      balance ${t.int} NOT NULL DEFAULT 0,
      held ${t.int} NOT NULL DEFAULT 0 CHECK (held >= 0),
      version ${t.int} NOT NULL DEFAULT 0,
      created_at ${t.int} NOT NULL
    )`,
    `CREATE TABLE events (
      id ${t.serial},
      source TEXT NOT NULL,
      external_id TEXT NOT NULL,
      request_hash TEXT,
      kind TEXT NOT NULL CHECK (kind IN (${list(EVENT_KINDS)})),
      member_id TEXT REFERENCES members (id),
      delta ${t.int} NOT NULL DEFAULT 0,
      balance_after ${t.int},
      held_after ${t.int},
      store_id TEXT,
      meta TEXT NOT NULL DEFAULT '{}',
      created_at ${t.int} NOT NULL,
      UNIQUE (source, external_id)
    )`,
    'CREATE INDEX events_member ON events (member_id, id)',
    `CREATE TABLE entries (
      id ${t.serial},
      event_id ${t.int} NOT NULL REFERENCES events (id),
      account_id TEXT NOT NULL REFERENCES accounts (id),
      amount ${t.int} NOT NULL CHECK (amount <> 0),
      balance_after ${t.int} NOT NULL,
      created_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX entries_account ON entries (account_id, id)',
    'CREATE INDEX entries_event ON entries (event_id)',
    `CREATE TABLE lots (
      id ${t.serial},
      account_id TEXT NOT NULL REFERENCES accounts (id),
      event_id ${t.int} NOT NULL REFERENCES events (id),
      amount ${t.int} NOT NULL CHECK (amount > 0),
      remaining ${t.int} NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
      expires_at ${t.int},
      created_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX lots_open ON lots (account_id, id) WHERE remaining > 0',
    'CREATE INDEX lots_expiry ON lots (expires_at) WHERE remaining > 0',
    `CREATE TABLE holds (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES accounts (id),
      amount ${t.int} NOT NULL CHECK (amount > 0),
      status TEXT NOT NULL CHECK (status IN ('open', 'captured', 'released')),
      expires_at ${t.int} NOT NULL,
      created_at ${t.int} NOT NULL,
      updated_at ${t.int} NOT NULL
    )`,
    "CREATE INDEX holds_open ON holds (account_id, expires_at) WHERE status = 'open'",
    `INSERT INTO accounts (id, kind, balance, held, version, created_at) VALUES ${shards
      .map((id) => `('${id}', 'system', 0, 0, 0, 0)`)
      .join(', ')}`,
  ];
}

/** Payments, refunds, the notification audit trail and the outbox (payments issue). */
export function paymentsSchema(t: SchemaTypes): string[] {
  return [
    `CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      channel TEXT NOT NULL CHECK (channel IN ('wechatpay', 'alipay')),
      trade_no TEXT NOT NULL,
      out_trade_no TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'paid')),
      app_id TEXT,
      payer_kind TEXT CHECK (payer_kind IN ('openid', 'alipay_buyer')),
      payer_id TEXT,
      member_id TEXT REFERENCES members (id),
      store_id TEXT,
      total_fen ${t.int} NOT NULL DEFAULT 0 CHECK (total_fen >= 0),
      paid_fen ${t.int} NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
      points_earned ${t.int} NOT NULL DEFAULT 0 CHECK (points_earned >= 0),
      refunded_fen ${t.int} NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
      points_clawed ${t.int} NOT NULL DEFAULT 0 CHECK (points_clawed >= 0 AND points_clawed <= points_earned),
      paid_at ${t.int},
      created_at ${t.int} NOT NULL,
      updated_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX payments_unclaimed ON payments (payer_kind, payer_id) WHERE member_id IS NULL',
    'CREATE INDEX payments_out_trade_no ON payments (channel, out_trade_no)',
    `CREATE TABLE refunds (
      channel TEXT NOT NULL,
      refund_key TEXT NOT NULL,
      payment_id TEXT NOT NULL REFERENCES payments (id),
      amount_fen ${t.int} NOT NULL CHECK (amount_fen >= 0),
      cumulative ${t.int} NOT NULL CHECK (cumulative IN (0, 1)),
      created_at ${t.int} NOT NULL,
      PRIMARY KEY (channel, refund_key)
    )`,
    `CREATE TABLE notifications (
      id ${t.serial},
      channel TEXT NOT NULL,
      notify_id TEXT,
      event_type TEXT NOT NULL,
      trade_no TEXT,
      refund_key TEXT,
      amount_fen ${t.int},
      payload TEXT NOT NULL,
      result TEXT NOT NULL,
      received_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX notifications_trade ON notifications (channel, trade_no)',
    `CREATE TABLE outbox (
      id ${t.serial},
      topic TEXT NOT NULL,
      member_id TEXT,
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
      attempts ${t.int} NOT NULL DEFAULT 0,
      next_at ${t.int} NOT NULL,
      created_at ${t.int} NOT NULL
    )`,
    "CREATE INDEX outbox_due ON outbox (next_at) WHERE status = 'pending'",
  ];
}

/** Stores and staff, phone binding, claim tickets, payer links, subscribe-message credits (identity issue). */
export function identitySchema(t: SchemaTypes): string[] {
  return [
    `CREATE TABLE stores (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      region TEXT NOT NULL,
      created_at ${t.int} NOT NULL
    )`,
    `CREATE TABLE staff (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      store_id TEXT NOT NULL REFERENCES stores (id),
      role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
      token_hash TEXT NOT NULL UNIQUE,
      revoked_at ${t.int},
      created_at ${t.int} NOT NULL
    )`,
    // Phones: encrypted at rest, found by a keyed hash; one phone, one member.
    'ALTER TABLE members ADD COLUMN phone_enc TEXT',
    'ALTER TABLE members ADD COLUMN phone_hash TEXT',
    'CREATE UNIQUE INDEX members_phone ON members (phone_hash)',
    `CREATE TABLE claim_tickets (
      id TEXT PRIMARY KEY,
      channel TEXT NOT NULL CHECK (channel IN ('wechatpay', 'alipay')),
      out_trade_no TEXT NOT NULL,
      store_id TEXT,
      created_by TEXT NOT NULL,
      expires_at ${t.int} NOT NULL,
      member_id TEXT REFERENCES members (id),
      claimed_at ${t.int},
      points ${t.int},
      created_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX claim_tickets_order ON claim_tickets (channel, out_trade_no)',
    // One row per order that a claim or a payment touched: both lock it first, so they serialize.
    `CREATE TABLE order_locks (
      channel TEXT NOT NULL,
      out_trade_no TEXT NOT NULL,
      PRIMARY KEY (channel, out_trade_no)
    )`,
    `CREATE TABLE payer_links (
      payer_kind TEXT NOT NULL CHECK (payer_kind IN ('openid', 'alipay_buyer')),
      payer_id TEXT NOT NULL,
      member_id TEXT NOT NULL REFERENCES members (id),
      created_at ${t.int} NOT NULL,
      PRIMARY KEY (payer_kind, payer_id)
    )`,
    `CREATE TABLE subscriptions (
      member_id TEXT NOT NULL REFERENCES members (id),
      template_id TEXT NOT NULL,
      credits ${t.int} NOT NULL CHECK (credits >= 0),
      updated_at ${t.int} NOT NULL,
      PRIMARY KEY (member_id, template_id)
    )`,
  ];
}

/** The rewards catalog, vouchers, pay-with-points codes and the audit log of catalog changes (redemption issue). */
export function rewardsSchema(t: SchemaTypes): string[] {
  return [
    `CREATE TABLE rewards (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('gift', 'coupon', 'cash')),
      points_cost ${t.int} NOT NULL CHECK (points_cost > 0),
      stock ${t.int} CHECK (stock IS NULL OR stock >= 0),
      spec TEXT NOT NULL DEFAULT '{}',
      active ${t.int} NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      version ${t.int} NOT NULL DEFAULT 0,
      created_at ${t.int} NOT NULL,
      updated_at ${t.int} NOT NULL
    )`,
    `CREATE TABLE vouchers (
      id TEXT PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      member_id TEXT NOT NULL REFERENCES members (id),
      reward_id TEXT NOT NULL REFERENCES rewards (id),
      event_id ${t.int} NOT NULL REFERENCES events (id),
      points ${t.int} NOT NULL CHECK (points > 0),
      status TEXT NOT NULL CHECK (status IN ('pending_review', 'issued', 'used', 'expired', 'cancelled', 'rejected')),
      hold_id TEXT REFERENCES holds (id),
      store_id TEXT,
      expires_at ${t.int},
      used_at ${t.int},
      used_store_id TEXT,
      created_at ${t.int} NOT NULL,
      updated_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX vouchers_member ON vouchers (member_id, created_at)',
    "CREATE INDEX vouchers_review ON vouchers (created_at) WHERE status = 'pending_review'",
    // Pay-with-points at the till: the member's dynamic code for an open hold; rotated on refresh.
    `CREATE TABLE pay_codes (
      code TEXT PRIMARY KEY,
      hold_id TEXT NOT NULL REFERENCES holds (id),
      member_id TEXT NOT NULL REFERENCES members (id),
      created_at ${t.int} NOT NULL
    )`,
    'CREATE INDEX pay_codes_hold ON pay_codes (hold_id)',
    `CREATE TABLE audit_log (
      id ${t.serial},
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      detail TEXT NOT NULL,
      created_at ${t.int} NOT NULL
    )`,
  ];
}

/**
 * Scan-to-bind hardened (payer links are earned by repeated claims, contested
 * links are suspended and raise an alert); payments say why their points went
 * where they did. Links made by one claim under the old rule become pending
 * with that one claim: the member's next claim of that payer re-links them.
 */
export function payerLinksSchema(t: SchemaTypes, randomHex: string): string[] {
  return [
    'ALTER TABLE payer_links ADD COLUMN id TEXT',
    `UPDATE payer_links SET id = 'pl_' || ${randomHex}`,
    'CREATE UNIQUE INDEX payer_links_id ON payer_links (id)',
    `ALTER TABLE payer_links ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'
       CHECK (status IN ('pending', 'active', 'suspended', 'removed'))`,
    `ALTER TABLE payer_links ADD COLUMN claims ${t.int} NOT NULL DEFAULT 1 CHECK (claims >= 0)`,
    `ALTER TABLE payer_links ADD COLUMN updated_at ${t.int} NOT NULL DEFAULT 0`,
    'UPDATE payer_links SET updated_at = created_at',
    'CREATE INDEX payer_links_member ON payer_links (member_id)',
    "ALTER TABLE payments ADD COLUMN attribution TEXT CHECK (attribution IN ('payer', 'ticket', 'link'))",
    `UPDATE payments SET attribution = 'payer' WHERE member_id IS NOT NULL AND payer_kind = 'openid'
       AND EXISTS (SELECT 1 FROM members m WHERE m.id = payments.member_id AND m.openid = payments.payer_id)`,
    `UPDATE payments SET attribution = 'ticket' WHERE member_id IS NOT NULL AND attribution IS NULL
       AND EXISTS (SELECT 1 FROM claim_tickets t WHERE t.channel = payments.channel
         AND t.out_trade_no = payments.out_trade_no AND t.member_id = payments.member_id)`,
    "UPDATE payments SET attribution = 'link' WHERE member_id IS NOT NULL AND attribution IS NULL",
    `CREATE TABLE alerts (
      id ${t.serial},
      kind TEXT NOT NULL,
      subject TEXT NOT NULL,
      detail TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
      created_at ${t.int} NOT NULL,
      resolved_at ${t.int},
      resolved_by TEXT
    )`,
    'CREATE INDEX alerts_status ON alerts (status, id)',
  ];
}

/**
 * Earning rules, tiers and expiry without code (rules issue): configuration
 * documents with every version kept, per-member counters (rule caps, growth
 * by month, check-ins), and the member's birthday and tier.
 */
export function rulesSchema(t: SchemaTypes): string[] {
  return [
    `CREATE TABLE config_docs (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      version ${t.int} NOT NULL,
      body TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at ${t.int} NOT NULL,
      PRIMARY KEY (kind, id)
    )`,
    `CREATE TABLE config_versions (
      kind TEXT NOT NULL,
      id TEXT NOT NULL,
      version ${t.int} NOT NULL,
      body TEXT NOT NULL,
      actor TEXT NOT NULL,
      created_at ${t.int} NOT NULL,
      PRIMARY KEY (kind, id, version)
    )`,
    `CREATE TABLE counters (
      member_id TEXT NOT NULL REFERENCES members (id),
      key TEXT NOT NULL,
      value ${t.int} NOT NULL,
      PRIMARY KEY (member_id, key)
    )`,
    'ALTER TABLE members ADD COLUMN birthday TEXT',
    'ALTER TABLE members ADD COLUMN tier TEXT',
    `ALTER TABLE members ADD COLUMN tier_until ${t.int}`,
    'CREATE INDEX members_tier_due ON members (tier_until) WHERE tier_until IS NOT NULL',
    // MM-DD of the birthday, for the birthday gift's daily lookup.
    'ALTER TABLE members ADD COLUMN birth_md TEXT',
    'CREATE INDEX members_birth_md ON members (birth_md) WHERE birth_md IS NOT NULL',
    'ALTER TABLE members ADD COLUMN referred_by TEXT REFERENCES members (id)',
    // The rule versions a payment's points came from, kept for the claim that may credit them later.
    'ALTER TABLE payments ADD COLUMN rules TEXT',
  ];
}

/** The columns of a notification that stay immutable when its payload is erased. */
const NOTIFICATION_FACTS = [
  'id',
  'channel',
  'notify_id',
  'event_type',
  'trade_no',
  'refund_key',
  'amount_fen',
  'result',
  'received_at',
] as const;

/** Tables whose rows are facts: never updated, never deleted; by the migration that made them. */
export const IMMUTABLE_TABLES = {
  1: ['events', 'entries'],
  2: ['notifications', 'refunds'],
  4: ['audit_log'],
  7: ['config_versions'],
} as const;

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** What differs per backend: column types, how a table is made immutable, statements v1 needs first. */
export interface Dialect {
  types: SchemaTypes;
  immutable(tables: readonly string[]): string[];
  /**
   * Replaces an immutable table's update guard by one that lets only
   * `column` change (data rights erase payer ids from notification payloads).
   */
  onlyColumnMutable(table: string, column: string, others: readonly string[]): string[];
  ledgerPrelude?: string[];
  /** An SQL expression giving 16 random hex characters (ids for rows a migration backfills). */
  randomHex: string;
}

/** The versioned migrations, in order; a released version never changes, new ones are appended. */
export function migrationsFor(d: Dialect): Migration[] {
  return [
    {
      version: 1,
      name: 'ledger',
      statements: [...ledgerSchema(d.types), ...(d.ledgerPrelude ?? []), ...d.immutable(IMMUTABLE_TABLES[1])],
    },
    { version: 2, name: 'payments', statements: [...paymentsSchema(d.types), ...d.immutable(IMMUTABLE_TABLES[2])] },
    { version: 3, name: 'identity', statements: identitySchema(d.types) },
    { version: 4, name: 'rewards', statements: [...rewardsSchema(d.types), ...d.immutable(IMMUTABLE_TABLES[4])] },
    // A pay code belongs to the till that scanned it: only that store may void it.
    { version: 5, name: 'till-scope', statements: ['ALTER TABLE holds ADD COLUMN store_id TEXT'] },
    { version: 6, name: 'payer-links', statements: payerLinksSchema(d.types, d.randomHex) },
    { version: 7, name: 'rules', statements: [...rulesSchema(d.types), ...d.immutable(IMMUTABLE_TABLES[7])] },
    // The console's audit reader: by time and by actor, newest first.
    {
      version: 8,
      name: 'audit-reader',
      statements: [
        'CREATE INDEX audit_log_time ON audit_log (created_at, id)',
        'CREATE INDEX audit_log_actor ON audit_log (actor, id)',
      ],
    },
    // Reports read the events of each business day by time.
    { version: 9, name: 'reports', statements: ['CREATE INDEX events_time ON events (created_at)'] },
    // Open API nonces, kept past their signature window so a replay is refused even after a restart.
    {
      version: 10,
      name: 'open-api',
      statements: [
        `CREATE TABLE nonces (
          scope TEXT NOT NULL,
          nonce TEXT NOT NULL,
          expires_at ${d.types.int} NOT NULL,
          PRIMARY KEY (scope, nonce)
        )`,
        'CREATE INDEX nonces_expiry ON nonces (expires_at)',
      ],
    },
    // Data rights: an erased member is marked (and reconciliation's index of payments by day), their points go to a forfeited account, and a
    // notification's payload (only it) may be rewritten to drop their payer ids.
    {
      version: 11,
      name: 'data-rights',
      statements: [
        `ALTER TABLE members ADD COLUMN erased_at ${d.types.int}`,
        `INSERT INTO accounts (id, kind, balance, held, version, created_at) VALUES ${systemShardIds('forfeited')
          .map((id) => `('${id}', 'system', 0, 0, 0, 0)`)
          .join(', ')} ON CONFLICT (id) DO NOTHING`,
        ...d.onlyColumnMutable('notifications', 'payload', NOTIFICATION_FACTS),
        // What an erasure looks up by member or payer.
        'CREATE INDEX payments_member ON payments (member_id)',
        'CREATE INDEX payments_payer ON payments (payer_kind, payer_id)',
        'CREATE INDEX outbox_member ON outbox (member_id)',
        'CREATE INDEX pay_codes_member ON pay_codes (member_id)',
        // Reconciliation reads a channel's payments of one day.
        'CREATE INDEX payments_paid ON payments (channel, paid_at)',
      ],
    },
    // The burst check after every credit counts a member's recent events: through events_member it walked the
    // member's whole history (nothing there stops at the window's start), so a loyal customer cost more per payment.
    // IF NOT EXISTS: on a large PostgreSQL ledger the operator builds it beforehand, CONCURRENTLY (docs/deploy.md),
    // so the upgrade does not hold writes to events while it builds.
    {
      version: 12,
      name: 'member-recent-events',
      statements: ['CREATE INDEX IF NOT EXISTS events_member_time ON events (member_id, created_at)'],
    },
  ];
}

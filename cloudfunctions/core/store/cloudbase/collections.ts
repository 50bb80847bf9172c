/**
 * The CloudBase collections and the indexes their queries need, in one list a
 * setup script can read (the node SDK cannot create indexes; the console, the
 * CLI or the management API can). Every table of the SQL backends is a
 * collection of the same name; the `*_keys` collections exist only here:
 * a document database enforces uniqueness through `_id` alone, so each
 * unique column other than the id gets a collection whose `_id` is that value.
 */
import { TABLES } from '../records.js';

export interface IndexSpec {
  name: string;
  /** Field → 1 (ascending) or -1 (descending), in key order. */
  keys: Array<[field: string, direction: 1 | -1]>;
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}

/** `_id` = the unique value, `{ ownerId }` = whose it is. */
export const KEY_COLLECTIONS = {
  /** members.openid */
  openids: 'member_openid_keys',
  /** members.phoneHash */
  phones: 'member_phone_keys',
  /** vouchers.code */
  voucherCodes: 'voucher_code_keys',
  /** accounts' ordinals, the high part of the ids a member's events and lots get (doc-ids.ts) */
  ordinals: 'account_ordinal_keys',
} as const;

const INDEXES: Partial<Record<string, IndexSpec[]>> = {
  events: [
    {
      name: 'member_history',
      keys: [
        ['memberId', 1],
        ['id', -1],
      ],
    },
  ],
  lots: [
    {
      name: 'open_lots',
      keys: [
        ['accountId', 1],
        ['remaining', 1],
      ],
    },
    {
      name: 'due_lots',
      keys: [
        ['expiresAt', 1],
        ['remaining', 1],
      ],
    },
  ],
  holds: [
    {
      name: 'open_holds',
      keys: [
        ['accountId', 1],
        ['status', 1],
        ['expiresAt', 1],
      ],
    },
    {
      name: 'due_holds',
      keys: [
        ['status', 1],
        ['expiresAt', 1],
      ],
    },
  ],
  payments: [
    // Reconciliation reads a channel's payments of one day.
    {
      name: 'paid',
      keys: [
        ['channel', 1],
        ['status', 1],
        ['paidAt', 1],
      ],
    },
    // An erasure finds a member's payments, and their payers' (store port eraseMember).
    { name: 'by_member', keys: [['memberId', 1]] },
    {
      name: 'by_payer',
      keys: [
        ['payerKind', 1],
        ['payerId', 1],
      ],
    },
    {
      name: 'by_order',
      keys: [
        ['channel', 1],
        ['outTradeNo', 1],
      ],
    },
  ],
  notifications: [
    {
      name: 'by_trade',
      keys: [
        ['channel', 1],
        ['tradeNo', 1],
        ['id', 1],
      ],
    },
  ],
  outbox: [
    { name: 'by_member', keys: [['memberId', 1]] },
    {
      name: 'due',
      keys: [
        ['status', 1],
        ['nextAt', 1],
        ['id', 1],
      ],
    },
  ],
  staff: [{ name: 'token', keys: [['tokenHash', 1]], unique: true }],
  claim_tickets: [
    {
      name: 'by_order',
      keys: [
        ['channel', 1],
        ['outTradeNo', 1],
      ],
    },
  ],
  subscriptions: [{ name: 'by_member', keys: [['memberId', 1]] }],
  pay_codes: [{ name: 'by_member', keys: [['memberId', 1]] }],
  payer_links: [
    { name: 'by_id', keys: [['id', 1]], unique: true },
    {
      name: 'by_member',
      keys: [
        ['memberId', 1],
        ['updatedAt', -1],
      ],
    },
  ],
  alerts: [
    {
      name: 'by_status',
      keys: [
        ['status', 1],
        ['id', -1],
      ],
    },
  ],
  audit_log: [
    {
      name: 'by_time',
      keys: [
        ['createdAt', -1],
        ['id', -1],
      ],
    },
    {
      name: 'by_actor',
      keys: [
        ['actor', 1],
        ['id', -1],
      ],
    },
  ],
  config_docs: [
    {
      name: 'by_kind',
      keys: [
        ['kind', 1],
        ['id', 1],
      ],
    },
  ],
  config_versions: [
    {
      name: 'by_doc',
      keys: [
        ['kind', 1],
        ['id', 1],
        ['version', 1],
      ],
    },
  ],
  members: [
    {
      name: 'birthday',
      keys: [
        ['birthMd', 1],
        ['id', 1],
      ],
    },
    {
      name: 'tier_due',
      keys: [
        ['tierUntil', 1],
        ['id', 1],
      ],
    },
  ],
  rewards: [
    {
      name: 'catalog',
      keys: [
        ['active', 1],
        ['pointsCost', 1],
      ],
    },
  ],
  vouchers: [
    {
      name: 'by_member',
      keys: [
        ['memberId', 1],
        ['createdAt', -1],
      ],
    },
    {
      name: 'review',
      keys: [
        ['status', 1],
        ['createdAt', 1],
      ],
    },
  ],
};

export const COLLECTIONS: CollectionSpec[] = [...TABLES, ...Object.values(KEY_COLLECTIONS)].map((name) => ({
  name,
  indexes: INDEXES[name] ?? [],
}));

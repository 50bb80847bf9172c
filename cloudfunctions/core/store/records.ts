/** The rows the store port reads and writes: plain data, one interface per table. */
import { present } from '../domain/assert.js';
import type { Lot } from '../domain/lots.js';
import type { PayerLinkStatus } from '../domain/payer-links.js';
import type { Tx } from './port.js';

export const EVENT_KINDS = [
  'earn',
  'refund',
  'adjust',
  'redeem',
  'claim',
  'expire',
  'hold',
  'capture',
  'release',
  'bonus',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface MemberRow {
  id: string;
  openid: string | null;
  unionid: string | null;
  status: 'active' | 'frozen';
  /** Rolling growth when the tier was last evaluated (services/tiers.ts); today's is the sum of the monthly counters. */
  growth: number;
  createdAt: number;
  /** AES-GCM ciphertext of the phone number (services/phones.ts); never stored in clear. */
  phoneEnc?: string | null;
  /** Keyed hash of the phone number, unique: how a phone is found. */
  phoneHash?: string | null;
  /** "YYYY-MM-DD" or "MM-DD" (the year is optional for members); null when not given. */
  birthday?: string | null;
  /** The tier code held now; null until the member's first evaluation (then the ladder's first tier). */
  tier?: string | null;
  /** When the held tier is next evaluated for a downgrade (the end of its rolling period). */
  tierUntil?: number | null;
  /** The member whose referral code this member accepted. */
  referredBy?: string | null;
  /** When the member's identity was erased (data rights); the account and its entries stay. */
  erasedAt?: number | null;
}

/** Configuration documents: earning rules, the tier ladder, the holiday calendar, the expiry policy, bonuses. */
/** operator / operator_name: console accounts and the username index (services/operators.ts). */
export type ConfigKind =
  | 'rule'
  | 'tiers'
  | 'holidays'
  | 'expiry'
  | 'bonuses'
  | 'operator'
  | 'operator_name'
  /** batch grants (services/batches.ts): the header, its rows in chunks, and the idempotency keys */
  | 'batch'
  | 'batch_rows'
  | 'batch_key'
  /** open API keys (services/integrations.ts) and the orders they sent (services/open-orders.ts) */
  | 'integration'
  /** the risk alerts' thresholds (services/risk-watch.ts) */
  | 'risk'
  /** webhooks out (services/webhooks.ts) */
  | 'webhook'
  /** phones and openids that get no bonuses (services/blacklist.ts) */
  | 'blacklist'
  | 'open_order'
  /** the daily report's sums of days that have closed, a document per time zone, grouping and month (services/reports.ts) */
  | 'report_days'
  /** a member's consents (services/consents.ts) and deletion requests (services/data-rights.ts) */
  | 'consent'
  | 'deletion_request'
  /** a channel's bill reconciled for a day (services/reconciliation.ts) */
  | 'reconciliation';

/** A piece of configuration as it is now. Every version of it is also kept, immutably, as a ConfigVersion. */
export interface ConfigDoc {
  kind: ConfigKind;
  id: string;
  version: number;
  body: Record<string, unknown>;
  updatedBy: string;
  updatedAt: number;
}

export interface ConfigVersion {
  kind: ConfigKind;
  id: string;
  version: number;
  body: Record<string, unknown>;
  actor: string;
  createdAt: number;
}

export interface StoreRow {
  id: string;
  name: string;
  region: string;
  createdAt: number;
}

export interface StaffRow {
  id: string;
  name: string;
  storeId: string;
  role: 'cashier' | 'manager';
  tokenHash: string;
  revokedAt: number | null;
  createdAt: number;
}

/** A checkout QR's ticket: single use, short-lived, for one order. */
export interface ClaimTicketRow {
  id: string;
  channel: Channel;
  outTradeNo: string;
  storeId: string | null;
  createdBy: string;
  expiresAt: number;
  /** Set when a member claims it (before or after the payment notification). */
  memberId: string | null;
  claimedAt: number | null;
  /** Points credited by the claim; null while the payment has not arrived. */
  points: number | null;
  createdAt: number;
}

export type VoucherStatus = 'pending_review' | 'issued' | 'used' | 'expired' | 'cancelled' | 'rejected';

export interface VoucherRow {
  id: string;
  /** Short and unguessable: what the staff scan or type. */
  code: string;
  memberId: string;
  rewardId: string;
  eventId: number;
  points: number;
  status: VoucherStatus;
  /** The hold that keeps the points while an operator reviews the redemption. */
  holdId: string | null;
  /** Where it may be used; null = any store. */
  storeId: string | null;
  expiresAt: number | null;
  usedAt: number | null;
  usedStoreId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditRow {
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  createdAt: number;
}

/** One business day of a report: its date and its bounds in ms ([start, end)). */
export interface ReportDay {
  date: string;
  start: number;
  end: number;
}

export type ReportGroup = 'store' | 'region' | 'tier';

/** Sums of member events in one day (and group), by what they did; points are positive numbers. */
export interface ReportSums {
  date: string;
  /** The store, its region or the member's tier; null when not grouped (or no store). */
  group: string | null;
  /** Payments, claims and bonuses credited, less payment refunds clawed back. */
  issued: number;
  /** Spent on rewards and at the till, less what came back (cancelled vouchers, refunded till payments). */
  redeemed: number;
  expired: number;
  /** Manual adjustments and batches, signed. */
  adjusted: number;
  /** The day's change of member balances (issued - redeemed - expired + adjusted). */
  net: number;
  /** Members who earned, claimed or spent that day. */
  activeMembers: number;
}

/** An audit row as read back, with its id (newest rows have the highest ids). */
export interface AuditEntry extends AuditRow {
  id: number;
}

/** What the audit reader filters on: a time range, an actor, and the page before an id. */
/** A member's (memberId) or a store's (storeId) events of some kinds since a time, newest first (Store.recentEvents). */
export interface RecentEventsQuery {
  memberId?: string;
  storeId?: string;
  kinds: readonly string[];
  since: number;
  limit: number;
}

export interface AuditQuery {
  from: number | null;
  /** Exclusive. */
  to: number | null;
  actor: string | null;
  beforeId: number | null;
  limit: number;
}

export interface OutboxMessage extends OutboxRow {
  id: number;
  /** 'sending' is claimed by one dispatcher: never picked again, so a message is sent at most once. */
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  nextAt: number;
}

export interface EventRow {
  id: number;
  /** Who vouches for the key: 'wechatpay', 'admin:hq', 'member:<id>', ... */
  source: string;
  /** The external fact's unique id within the source (transaction_id, idempotency key, ...). */
  externalId: string;
  /** Hash of the request that created the event, to refuse a reused key with another body. */
  requestHash: string | null;
  kind: EventKind;
  memberId: string | null;
  /** The member account's change (0 for holds and releases). */
  delta: number;
  balanceAfter: number | null;
  heldAfter: number | null;
  storeId: string | null;
  meta: Record<string, unknown>;
  createdAt: number;
}
export type NewEvent = Omit<EventRow, 'id'>;

export interface NewEntry {
  eventId: number;
  accountId: string;
  amount: number;
  balanceAfter: number;
  createdAt: number;
}

export interface LotRow extends Lot {
  accountId: string;
  eventId: number;
  amount: number;
  createdAt: number;
}
export type NewLot = Omit<LotRow, 'id'>;

export type HoldStatus = 'open' | 'captured' | 'released';
export interface HoldRow {
  id: string;
  accountId: string;
  amount: number;
  status: HoldStatus;
  expiresAt: number;
  /** The store whose till scanned (or captured) the pay code: only it may void it. Unset until then. */
  storeId?: string | null;
  createdAt: number;
  updatedAt: number;
}

export type Channel = 'wechatpay' | 'alipay';
export type PayerKind = 'openid' | 'alipay_buyer';
export type PaymentAttribution = 'payer' | 'ticket' | 'link';

/** One per payer identity (domain/payer-links.ts decides its state). */
export interface PayerLinkRow {
  id: string;
  payerKind: PayerKind;
  payerId: string;
  memberId: string;
  status: PayerLinkStatus;
  claims: number;
  createdAt: number;
  updatedAt: number;
}

/** Something HQ should look at (a contested payer link, ...), open until resolved. */
export interface AlertRow {
  id: number;
  kind: string;
  subject: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
}
export type NewAlert = Pick<AlertRow, 'kind' | 'subject' | 'detail' | 'createdAt'>;

/**
 * One order paid through a payment platform. Mutable state (like an account):
 * the immutable record is the ledger events and the notifications. Created
 * 'pending' by whichever comes first (the payment, or a refund seen before
 * it), and locked by every notification of the order, so they serialize.
 */
export interface PaymentRow {
  id: string;
  channel: Channel;
  tradeNo: string;
  outTradeNo: string | null;
  status: 'pending' | 'paid';
  appId: string | null;
  payerKind: PayerKind | null;
  payerId: string | null;
  /** null while the payer is not tied to a member: the points wait as an unclaimed accrual. */
  memberId: string | null;
  /**
   * Why the points went to memberId: the payer is that member ('payer', our
   * own mini-program's openid), a checkout ticket they claimed ('ticket'), or
   * an active payer link ('link', which a claim of the order's ticket overrides).
   */
  attribution?: PaymentAttribution | null;
  storeId: string | null;
  totalFen: number;
  paidFen: number;
  pointsEarned: number;
  /** Refunded so far, in the basis of totalFen. */
  refundedFen: number;
  pointsClawed: number;
  /** The earning rules (id, version, points) pointsEarned came from; null before rules existed. */
  rules?: { id: string; version: number; points: number }[] | null;
  paidAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A new order's payment row before any notification has said what it is (Tx.openPayment, ensurePayment). */
export function pendingPayment(id: string, channel: Channel, tradeNo: string, now: number): PaymentRow {
  return {
    id,
    channel,
    tradeNo,
    outTradeNo: null,
    status: 'pending',
    appId: null,
    payerKind: null,
    payerId: null,
    memberId: null,
    storeId: null,
    totalFen: 0,
    paidFen: 0,
    pointsEarned: 0,
    refundedFen: 0,
    pointsClawed: 0,
    paidAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The order's payment row stored (pending if new) and locked: ensurePayment, then lockPayment. */
export async function storedPayment(
  tx: Pick<Tx, 'ensurePayment' | 'lockPayment'>,
  id: string,
  channel: Channel,
  tradeNo: string,
  now: number,
): Promise<PaymentRow> {
  await tx.ensurePayment(id, channel, tradeNo, now);
  return present(await tx.lockPayment(id), 'ensurePayment made the row');
}

export interface RefundRow {
  channel: Channel;
  /** WeChat refund_id, Alipay out_biz_no: unique per channel. */
  refundKey: string;
  paymentId: string;
  amountFen: number;
  /** Alipay's refund_fee is the running total; WeChat's amount.refund is this refund's own. */
  cumulative: boolean;
  createdAt: number;
}

export interface NotificationRow {
  channel: Channel;
  notifyId: string | null;
  eventType: string;
  tradeNo: string | null;
  refundKey: string | null;
  amountFen: number | null;
  payload: unknown;
  result: string;
  receivedAt: number;
}

export interface OutboxRow {
  topic: string;
  memberId: string | null;
  payload: Record<string, unknown>;
  createdAt: number;
}

export interface HistoryPage {
  items: EventRow[];
  /** id to continue below, null on the last page */
  nextBeforeId: number | null;
}

/** Every backend's tables (collections on CloudBase), in the order counts() reports them. */
export const TABLES = [
  'members',
  'accounts',
  'events',
  'entries',
  'lots',
  'holds',
  'payments',
  'refunds',
  'notifications',
  'outbox',
  'stores',
  'staff',
  'claim_tickets',
  'payer_links',
  'subscriptions',
  'rewards',
  'vouchers',
  'audit_log',
  'pay_codes',
  'order_locks',
  'alerts',
  'config_docs',
  'config_versions',
  'counters',
  'nonces',
] as const;

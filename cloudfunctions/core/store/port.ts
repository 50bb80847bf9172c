/**
 * The store port: what services need from a database, inside one transaction.
 * Every backend (sqlite/, postgres/, later cloudbase/) implements it and passes
 * the same contract suite (tests/contract). Methods address rows by id, so a
 * document store with id-addressed transactions can implement them too.
 */
import type { AccountState } from '../domain/accounts.js';
import type { LedgerSummary } from '../domain/verify.js';
import type { Reward } from '../domain/rewards.js';

export * from './records.js';
import type {
  Channel,
  ClaimTicketRow,
  EventRow,
  HistoryPage,
  HoldRow,
  HoldStatus,
  LotRow,
  MemberRow,
  NewEntry,
  NewEvent,
  NewLot,
  NotificationRow,
  OutboxMessage,
  OutboxRow,
  PayerKind,
  PayerLinkRow,
  AlertRow,
  NewAlert,
  PaymentRow,
  RefundRow,
  StaffRow,
  StoreRow,
  AuditRow,
  AuditEntry,
  AuditQuery,
  RecentEventsQuery,
  ReportDay,
  ReportGroup,
  ReportSums,
  VoucherRow,
  ConfigDoc,
  ConfigKind,
  ConfigVersion,
} from './records.js';

/** Operations inside one transaction. */
export interface Tx {
  findEvent(source: string, externalId: string): Promise<EventRow | null>;
  /** A member's event by id. Events are immutable, so this takes no lock. */
  getEvent(memberId: string, id: number): Promise<EventRow | null>;
  /** Inserts the event; null when (source, externalId) already exists (the caller must roll back). */
  insertEvent(event: NewEvent): Promise<EventRow | null>;
  insertEntries(entries: NewEntry[]): Promise<void>;

  /** Reads the account and keeps others from changing it until commit. */
  lockAccount(id: string): Promise<AccountState | null>;
  insertAccount(id: string, kind: AccountState['kind'], createdAt: number): Promise<void>;
  /** Writes balance and held if the version still matches; throws VersionConflict otherwise. */
  updateAccount(id: string, expectedVersion: number, balance: number, held: number): Promise<void>;
  /** Adds delta to a system account shard without reading it first; returns the balance after. */
  addToSystemShard(id: string, delta: number): Promise<number>;

  openLots(accountId: string): Promise<LotRow[]>;
  insertLot(lot: NewLot): Promise<void>;
  setLotRemaining(id: number, remaining: number): Promise<void>;

  insertHold(hold: HoldRow): Promise<void>;
  /** Holds need no lock of their own: every writer of a hold first locks its member's account. */
  getHold(id: string): Promise<HoldRow | null>;
  setHoldStatus(id: string, status: HoldStatus, updatedAt: number): Promise<void>;
  /** Binds a hold to the store whose till scanned its pay code. */
  setHoldStore(id: string, storeId: string, updatedAt: number): Promise<void>;
  /** Open holds of an account that expired at or before `now`. */
  expiredHolds(accountId: string, now: number): Promise<HoldRow[]>;

  /** Creates the payment row as 'pending' unless it exists; then lockPayment serializes its notifications. */
  ensurePayment(id: string, channel: Channel, tradeNo: string, now: number): Promise<void>;
  lockPayment(id: string): Promise<PaymentRow | null>;
  /**
   * The payment row, locked, as ensurePayment then lockPayment give it. A new
   * order's row may instead be left unwritten (`stored: false`, a pending row
   * in memory) where nothing else can create it before this transaction ends:
   * on SQLite, whose transactions run one at a time, and on PostgreSQL when
   * the caller holds the order's lock (`orderLocked`: every notification of
   * the order takes it first). The caller then writes the row once, finished,
   * with insertPayment, instead of inserting it pending and rewriting it
   * (issue 13: the rewrite moved five index entries and cost two statements
   * per payment). Nothing may reference an unstored row (a refund does):
   * those callers use ensurePayment.
   */
  openPayment(
    id: string,
    channel: Channel,
    tradeNo: string,
    now: number,
    orderLocked: boolean,
  ): Promise<{ row: PaymentRow; stored: boolean }>;
  /** Writes a row openPayment left unstored; a row that appeared meanwhile (a refund without the order lock) is a VersionConflict, and the transaction runs again. */
  insertPayment(payment: PaymentRow): Promise<void>;
  savePayment(payment: PaymentRow): Promise<void>;
  /** false when (channel, refundKey) was seen before. */
  insertRefund(refund: RefundRow): Promise<boolean>;
  insertNotification(notification: NotificationRow): Promise<void>;
  insertOutbox(message: OutboxRow): Promise<void>;

  findPaymentByOrder(channel: Channel, outTradeNo: string): Promise<PaymentRow | null>;
  /**
   * Serializes everything about one order (its payment notification and its
   * claims) by the merchant's order number: taken first, before the payment row.
   */
  lockOrder(channel: Channel, outTradeNo: string): Promise<void>;

  insertStore(store: StoreRow): Promise<boolean>;
  getStore(id: string): Promise<StoreRow | null>;
  insertStaff(staff: StaffRow): Promise<void>;
  revokeStaff(id: string, at: number): Promise<boolean>;

  insertTicket(ticket: ClaimTicketRow): Promise<void>;
  lockTicket(id: string): Promise<ClaimTicketRow | null>;
  /** The ticket a member claimed for this order, locked (the payment's notification credits them). */
  claimedTicketForOrder(channel: Channel, outTradeNo: string): Promise<ClaimTicketRow | null>;
  saveTicket(ticket: ClaimTicketRow): Promise<void>;

  /** The payer's link, read without a lock (a payment only reads it). */
  findPayerLink(kind: PayerKind, payerId: string): Promise<PayerLinkRow | null>;
  /** The payer's link, locked; created as `absent` says (pending, no claims yet) if there is none. */
  lockPayerLink(
    kind: PayerKind,
    payerId: string,
    absent: { id: string; memberId: string; at: number },
  ): Promise<PayerLinkRow>;
  savePayerLink(link: PayerLinkRow): Promise<void>;
  insertAlert(alert: NewAlert): Promise<void>;
  /** Marks an open alert resolved; false when it is not open. */
  resolveAlert(id: number, by: string, at: number): Promise<boolean>;

  findMemberByPhoneHash(hash: string): Promise<MemberRow | null>;
  /** Throws UniqueViolation when another member holds the phone. */
  setMemberPhone(memberId: string, phoneEnc: string | null, phoneHash: string | null): Promise<void>;

  addSubscribeCredits(memberId: string, templateId: string, credits: number, at: number): Promise<void>;
  /** Uses one credit; false when none is left. */
  takeSubscribeCredit(memberId: string, templateId: string, at: number): Promise<boolean>;
  /**
   * Up to `limit` due messages, pending → sending, oldest first, in one
   * statement; a message another dispatcher is claiming is skipped, never
   * waited for or taken twice.
   */
  claimDueOutbox(now: number, limit: number): Promise<OutboxMessage[]>;
  markOutbox(id: number, status: OutboxMessage['status'], attempts: number, nextAt: number): Promise<void>;

  insertReward(reward: Reward): Promise<void>;
  lockReward(id: string): Promise<Reward | null>;
  /** Without a lock: redemptions must not serialize on the reward row (the stock decrement is guarded instead). */
  getReward(id: string): Promise<Reward | null>;
  saveReward(reward: Reward): Promise<void>;
  /** Takes one from a limited stock; false when none is left. */
  takeStock(rewardId: string): Promise<boolean>;
  returnStock(rewardId: string): Promise<void>;
  insertVoucher(voucher: VoucherRow): Promise<void>;
  lockVoucher(id: string): Promise<VoucherRow | null>;
  lockVoucherByCode(code: string): Promise<VoucherRow | null>;
  saveVoucher(voucher: VoucherRow): Promise<void>;
  /** Live (not cancelled or rejected) vouchers of a member since `since`, optionally of one reward. */
  redeemedSince(memberId: string, rewardId: string | null, since: number): Promise<{ count: number; points: number }>;
  insertAudit(entry: AuditRow): Promise<void>;

  /** Replaces the hold's code (a refresh): the old one stops working. */
  setPayCode(holdId: string, memberId: string, code: string, at: number): Promise<void>;
  holdOfPayCode(code: string): Promise<string | null>;
  /** Deletes up to `limit` pay codes made before `before` (their holds are long closed); returns how many. */
  deletePayCodesBefore(before: number, limit: number): Promise<number>;
  setHoldExpiry(holdId: string, expiresAt: number, at: number): Promise<void>;

  findMemberByOpenid(openid: string): Promise<MemberRow | null>;
  /** WeChat often reveals a member's unionid only after their first login. */
  setMemberUnionid(memberId: string, unionid: string): Promise<void>;
  /** Inserts the member; null when the id or openid is taken. */
  insertMember(member: MemberRow): Promise<MemberRow | null>;
  getMember(id: string): Promise<MemberRow | null>;
  /** Freeze or unfreeze; the caller holds the member's account lock. */
  setMemberStatus(memberId: string, status: MemberRow['status']): Promise<void>;
  /** The tier held, its period, and the rolling growth it was evaluated at; the caller holds the member's account lock. */
  setMemberTier(memberId: string, growth: number, tier: string, tierUntil: number | null): Promise<void>;
  /** Also keeps the MM-DD the birthday gift looks members up by. */
  setMemberBirthday(memberId: string, birthday: string | null): Promise<void>;
  setMemberReferrer(memberId: string, referrerId: string): Promise<void>;
  /**
   * Erases a member's identity (data rights): openid, unionid, phone and
   * birthday cleared; payer links, subscriptions and pay codes deleted; payer
   * ids removed from payments, and replaced by "erased" in the
   * payloads of their notifications; their messages emptied (unsent ones
   * skipped); the member frozen and marked erased. Events, entries and lots
   * stay, so the books still balance. The caller holds the account lock.
   */
  eraseMember(memberId: string, at: number): Promise<void>;

  /**
   * Records a nonce of `scope` (an open API key) until `expiresAt`; false
   * when it is already recorded and not yet expired (a replay).
   */
  claimNonce(scope: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
  /** Deletes up to `limit` nonces that expired before `before`; returns how many. */
  deleteNoncesBefore(before: number, limit: number): Promise<number>;
  /** The configuration document, locked until commit (edits of one rule serialize); null when new. */
  lockConfig(kind: ConfigKind, id: string): Promise<ConfigDoc | null>;
  /** Inserts or replaces the document. */
  putConfig(doc: ConfigDoc): Promise<void>;
  /** Appends a version (immutable); a version that exists is a UniqueViolation. */
  insertConfigVersion(version: ConfigVersion): Promise<void>;
  /**
   * A member's named counters ("rule:r1:2026-12-05", "growth:2026-12", ...):
   * adds each delta (a missing counter starts at 0). The caller holds the
   * member's account lock, so counters of one member never race.
   */
  addCounters(memberId: string, deltas: Readonly<Record<string, number>>): Promise<void>;
  /** The counters' values; a missing one is 0. */
  counters(memberId: string, keys: readonly string[]): Promise<Record<string, number>>;
}

export type Backend = 'sqlite' | 'postgres' | 'cloudbase';

export interface Store {
  readonly backend: Backend;
  /**
   * Runs fn in one transaction: all of its writes or none. Retries fn (a few
   * times, with jitter) when a concurrent writer made it conflict, so fn must
   * do nothing but tx calls and pure computation (no plain Store reads: on
   * SQLite they queue behind the transaction and would wait for it forever).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;

  findEvent(source: string, externalId: string): Promise<EventRow | null>;
  getMember(id: string): Promise<MemberRow | null>;
  getAccount(id: string): Promise<AccountState | null>;
  getHold(id: string): Promise<HoldRow | null>;
  getPayment(id: string): Promise<PaymentRow | null>;
  /** Paid payments of a channel paid in [from, to), oldest first, at most `limit` (reconciliation's day). */
  paymentsPaidBetween(channel: Channel, from: number, to: number, limit: number): Promise<PaymentRow[]>;
  notifications(channel: Channel, tradeNo: string): Promise<Array<NotificationRow & { id: number }>>;
  /** At most STORES_MAX (store/limits.ts), by id. */
  listStores(): Promise<StoreRow[]>;
  getStore(id: string): Promise<StoreRow | null>;
  staffByTokenHash(hash: string): Promise<StaffRow | null>;
  /** Staff of these stores (null: every store), revoked ones included, newest first; at most STAFF_MAX. */
  listStaff(storeIds: readonly string[] | null): Promise<StaffRow[]>;
  getTicket(id: string): Promise<ClaimTicketRow | null>;
  subscribeCredits(memberId: string): Promise<Record<string, number>>;
  /** At most REWARDS_MAX (store/limits.ts), cheapest first. */
  listRewards(activeOnly: boolean): Promise<Reward[]>;
  getReward(id: string): Promise<Reward | null>;
  getVoucher(id: string): Promise<VoucherRow | null>;
  memberVouchers(memberId: string, limit: number): Promise<VoucherRow[]>;
  /** A member's payer links (removed ones too, newest first). */
  memberPayerLinks(memberId: string, limit: number): Promise<PayerLinkRow[]>;
  getPayerLink(id: string): Promise<PayerLinkRow | null>;
  /** A member's counters (Tx.counters), as a plain read; a missing one is 0. */
  memberCounters(memberId: string, keys: readonly string[]): Promise<Record<string, number>>;
  /** Configuration documents of a kind, by id; with `ids`, only those from `ids.from` to `ids.to` (both included). */
  configDocs(kind: ConfigKind, ids?: { from: string; to: string }): Promise<ConfigDoc[]>;
  /** Every version of one document, oldest first. */
  configVersions(kind: ConfigKind, id: string): Promise<ConfigVersion[]>;
  /** Members with open lots expiring in [from, to], in id order after `after` (expiry reminders). */
  membersWithLotsExpiring(from: number, to: number, after: string | null, limit: number): Promise<string[]>;
  /** Members whose birthday is on `monthDay` (MM-DD), in id order after `after`. */
  membersWithBirthday(monthDay: string, after: string | null, limit: number): Promise<string[]>;
  /** Members holding a tier whose period ended at `now`, in id order after `after`. */
  membersWithTierDue(now: number, after: string | null, limit: number): Promise<string[]>;
  /** Alerts, newest first; `status` filters. */
  alerts(status: AlertRow['status'] | null, limit: number): Promise<AlertRow[]>;
  /** Whether an alert of this kind and subject is open (one open alert per subject). */
  hasOpenAlert(kind: string, subject: string): Promise<boolean>;
  /** Audit rows, newest first, filtered by time and actor, paged by id. */
  auditLog(q: AuditQuery): Promise<AuditEntry[]>;
  vouchersInReview(limit: number): Promise<VoucherRow[]>;
  /**
   * Members with lots past their expiry date and points free to expire, in id
   * order after `after` (a cursor: the sweep walks them page by page).
   */
  membersWithDueLots(now: number, after: string | null, limit: number): Promise<string[]>;
  /** Members with open holds past their expiry (the sweep releases them), in id order after `after`. */
  membersWithDueHolds(now: number, after: string | null, limit: number): Promise<string[]>;
  /** Pending outbox messages due at `now`, oldest first. */
  dueOutbox(now: number, limit: number): Promise<OutboxMessage[]>;
  /** Outbox messages of a topic, newest first, whatever their status (a webhook's delivery log). */
  outboxOfTopic(topic: string, limit: number): Promise<OutboxMessage[]>;
  /**
   * Sums of member events per day (and group) over `opts.sums` (default:
   * all of `days`, which are contiguous, oldest first); `netSince` is the
   * change of member balances from the first day's start until now,
   * `liabilityNow` the member balances now, and `activeMembers` the distinct
   * active members over all the days — only those active at `opts.activeAt`
   * when given (a manager's stores).
   */
  reportDaily(
    days: readonly ReportDay[],
    groupBy: ReportGroup | null,
    opts?: { sums?: ReportDay[]; activeAt?: readonly string[] | null },
  ): Promise<{ rows: ReportSums[]; netSince: number; liabilityNow: number; activeMembers: number }>;
  /** Outbox messages still to send (pending), for the metrics' outbox depth. */
  outboxDepth(): Promise<number>;
  openLots(accountId: string): Promise<LotRow[]>;
  history(memberId: string, beforeId: number | null, limit: number): Promise<HistoryPage>;
  /**
   * A member's (or a store's) events of these kinds since `since`, newest
   * first, at most `limit`: what the risk checks count.
   */
  recentEvents(q: RecentEventsQuery): Promise<EventRow[]>;
  /** How many events recentEvents would return (at most `limit`), without reading them: the burst checks after every credit. */
  countRecentEvents(q: RecentEventsQuery): Promise<number>;
  ledgerSummary(): Promise<LedgerSummary>;
  /** Row counts per table, for tests that prove a refusal wrote nothing and for reports. */
  counts(): Promise<Record<string, number>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by updateAccount when another writer got there first; transaction() retries. */
export class VersionConflict extends Error {
  constructor(readonly accountId: string) {
    super(`account ${accountId} changed concurrently`);
    this.name = 'VersionConflict';
  }
}

/** A unique constraint refused a write (e.g. a phone held by another member); the transaction is void. */
export class UniqueViolation extends Error {
  constructor(readonly detail: string) {
    super(`unique constraint: ${detail}`);
    this.name = 'UniqueViolation';
  }
}

/** Thrown by services when insertEvent found the key taken: roll back, then replay the first result. */
export class DuplicateEvent extends Error {
  constructor(
    readonly source: string,
    readonly externalId: string,
  ) {
    super(`event ${source}/${externalId} already exists`);
    this.name = 'DuplicateEvent';
  }
}

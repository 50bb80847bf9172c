/**
 * CloudBase backend: the store port over CloudBase's document database, for
 * the cloud functions of the WeChat deployment. Transactions are CloudBase's
 * own (snapshot isolation, optimistic): doc-tx.ts turns the port's locks into
 * writes, and a transaction that loses a write race is retried whole, like a
 * serialization failure on PostgreSQL. `db` is `tcb.init(...).database()`
 * (open.ts) or the in-memory stand-in (memory-db.ts).
 */
import type { AccountState } from '../../domain/accounts.js';
import { SYSTEM_ACCOUNTS, systemShardIds } from '../../domain/accounts.js';
import { errors } from '../../domain/errors.js';
import type { Reward } from '../../domain/rewards.js';
import type { LedgerSummary } from '../../domain/verify.js';
import { TABLES } from '../records.js';
import {
  VersionConflict,
  type AlertRow,
  type Channel,
  type ConfigDoc,
  type ConfigKind,
  type AuditEntry,
  type AuditQuery,
  type RecentEventsQuery,
  type ReportDay,
  type ReportGroup,
  type ReportSums,
  type ConfigVersion,
  type PayerLinkRow,
  type ClaimTicketRow,
  type EventRow,
  type HistoryPage,
  type HoldRow,
  type LotRow,
  type MemberRow,
  type NotificationRow,
  type OutboxMessage,
  type PaymentRow,
  type StaffRow,
  type Store,
  type StoreRow,
  type Tx,
  type VoucherRow,
} from '../port.js';
import { withRetry, type RetryBudget } from '../retry.js';
import { COLLECTIONS } from './collections.js';
import { checked, codeOf, CONFLICT_CODE, type CloudbaseDb, type DbCollection, type Doc } from './db-api.js';
import { docId } from './doc-ids.js';
import { DocTx } from './doc-tx.js';
import { CloudbaseTx } from './identity-tx.js';
import { accountOf } from './ledger-tx.js';
import { allDocs, rowOf, rowOrNull } from './scan.js';
import { ledgerSummaryOf } from './summary.js';
import { configOf } from './config-tx.js';
import { ACTIVE_KINDS, countEvent } from '../../domain/reports.js';
import {
  complete,
  CONFIG_DOCS_MAX,
  NOTIFICATIONS_PER_TRADE_MAX,
  OPEN_LOTS_MAX,
  REPORT_EVENTS_MAX,
  REWARDS_MAX,
  STAFF_MAX,
  STORES_MAX,
  SUBSCRIPTION_TEMPLATES_MAX,
} from '../limits.js';

const isTransient = (e: unknown) => e instanceof VersionConflict || codeOf(e) === CONFLICT_CODE;

/**
 * Optimistic transactions never wait for a lock: every racer runs to the end
 * and all but one start again. On one busy document (a member tapping redeem
 * many times at once) that takes more rounds than a locking database needs.
 */
const OPTIMISTIC_RETRIES: RetryBudget = { attempts: 30, maxDelayMs: 250 };
const rows = <T>(docs: Doc[]) => docs.map((d) => rowOf<T>(d));

/** The most documents one due-members query reads. */
const DUE_SCAN_DOCS_MAX = 5000;

export interface CloudbaseStoreOptions {
  /** Create missing collections and system accounts (idempotent; what migrations are on SQL). Default true. */
  setUp?: boolean;
}

export async function openCloudbaseStore(
  db: CloudbaseDb,
  options: CloudbaseStoreOptions = {},
): Promise<CloudbaseStore> {
  const store = new CloudbaseStore(db);
  if (options.setUp ?? true) await store.setUp();
  return store;
}

export class CloudbaseStore implements Store {
  readonly backend = 'cloudbase' as const;
  private closed = false;

  constructor(private readonly db: CloudbaseDb) {}

  private col(name: string): DbCollection {
    if (this.closed) throw errors.storeUnavailable();
    return this.db.collection(name);
  }

  private async byId(name: string, id: string): Promise<Doc | null> {
    return checked(await this.col(name).doc(id).get()).data?.[0] ?? null;
  }

  /** Collections, then the system account shards, each created only where missing. */
  async setUp(): Promise<void> {
    for (const { name } of COLLECTIONS) {
      const probe = await this.col(name)
        .limit(1)
        .get()
        .catch((e: unknown) => ({ code: codeOf(e) }));
      if (probe.code === 'DATABASE_COLLECTION_NOT_EXIST') await this.db.createCollection(name);
      else checked(probe);
    }
    const shards = SYSTEM_ACCOUNTS.flatMap((name) => systemShardIds(name));
    await this.transaction(async (tx) => {
      for (const id of shards) await tx.insertAccount(id, 'system', 0);
    });
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        if (this.closed) throw errors.storeUnavailable();
        const tx = await this.db.startTransaction();
        try {
          const docs = new DocTx(this.db, tx);
          const result = await fn(new CloudbaseTx(docs));
          await docs.flush();
          checked(await tx.commit());
          return result;
        } catch (e) {
          await tx.rollback().catch(() => undefined); // a failed commit has ended it already
          throw e;
        }
      },
      isTransient,
      OPTIMISTIC_RETRIES,
    );
  }

  async findEvent(source: string, externalId: string): Promise<EventRow | null> {
    return rowOrNull<EventRow>(await this.byId('events', docId(source, externalId)));
  }

  async getMember(id: string): Promise<MemberRow | null> {
    return rowOrNull<MemberRow>(await this.byId('members', docId(id)));
  }

  async getAccount(id: string): Promise<AccountState | null> {
    const doc = await this.byId('accounts', docId(id));
    return doc ? accountOf(doc) : null;
  }

  async getHold(id: string): Promise<HoldRow | null> {
    return rowOrNull<HoldRow>(await this.byId('holds', docId(id)));
  }

  async getPayment(id: string): Promise<PaymentRow | null> {
    return rowOrNull<PaymentRow>(await this.byId('payments', docId(id)));
  }

  async paymentsPaidBetween(channel: Channel, from: number, to: number, limit: number): Promise<PaymentRow[]> {
    const _ = this.db.command;
    const query = this.col('payments')
      .where({ channel, status: 'paid', paidAt: _.and(_.gte(from), _.lt(to)) })
      .orderBy('paidAt', 'asc')
      .orderBy('id', 'asc');
    return (await allDocs(query, limit)).map((d) => rowOf<PaymentRow>(d));
  }

  async notifications(channel: Channel, tradeNo: string): Promise<Array<NotificationRow & { id: number }>> {
    const docs = await allDocs(
      this.col('notifications').where({ channel, tradeNo }).orderBy('id', 'asc'),
      NOTIFICATIONS_PER_TRADE_MAX,
    );
    return rows<NotificationRow & { id: number }>(docs).map((n) => ({ ...n, payload: JSON.parse(String(n.payload)) }));
  }

  async listStores(): Promise<StoreRow[]> {
    return rows<StoreRow>(await allDocs(this.col('stores').orderBy('id', 'asc'), STORES_MAX));
  }

  async getStore(id: string): Promise<StoreRow | null> {
    return rowOrNull<StoreRow>(await this.byId('stores', docId(id)));
  }

  async staffByTokenHash(hash: string): Promise<StaffRow | null> {
    return rowOrNull<StaffRow>(checked(await this.col('staff').where({ tokenHash: hash }).limit(1).get()).data?.[0]);
  }

  async listStaff(storeIds: readonly string[] | null): Promise<StaffRow[]> {
    if (storeIds?.length === 0) return [];
    const _ = this.db.command;
    const query = storeIds ? this.col('staff').where({ storeId: _.in([...storeIds]) }) : this.col('staff');
    return rows<StaffRow>(await allDocs(query.orderBy('createdAt', 'desc').orderBy('id', 'asc'), STAFF_MAX));
  }

  async getTicket(id: string): Promise<ClaimTicketRow | null> {
    return rowOrNull<ClaimTicketRow>(await this.byId('claim_tickets', docId(id)));
  }

  async subscribeCredits(memberId: string): Promise<Record<string, number>> {
    const docs = await allDocs(this.col('subscriptions').where({ memberId }), SUBSCRIPTION_TEMPLATES_MAX);
    return Object.fromEntries(docs.map((d) => [String(d.templateId), Number(d.credits)]));
  }

  async listRewards(activeOnly: boolean): Promise<Reward[]> {
    const query = activeOnly ? this.col('rewards').where({ active: true }) : this.col('rewards');
    return rows<Reward>(await allDocs(query.orderBy('pointsCost', 'asc').orderBy('id', 'asc'), REWARDS_MAX));
  }

  async getReward(id: string): Promise<Reward | null> {
    return rowOrNull<Reward>(await this.byId('rewards', docId(id)));
  }

  async getVoucher(id: string): Promise<VoucherRow | null> {
    return rowOrNull<VoucherRow>(await this.byId('vouchers', docId(id)));
  }

  async memberVouchers(memberId: string, limit: number): Promise<VoucherRow[]> {
    const query = this.col('vouchers').where({ memberId }).orderBy('createdAt', 'desc').orderBy('id', 'asc');
    return rows<VoucherRow>(await allDocs(query, limit));
  }

  async memberPayerLinks(memberId: string, limit: number): Promise<PayerLinkRow[]> {
    const query = this.col('payer_links').where({ memberId }).orderBy('updatedAt', 'desc');
    return rows<PayerLinkRow>(await allDocs(query, limit));
  }

  async getPayerLink(id: string): Promise<PayerLinkRow | null> {
    return rowOrNull<PayerLinkRow>(checked(await this.col('payer_links').where({ id }).limit(1).get()).data?.[0]);
  }

  async memberCounters(memberId: string, keys: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const key of keys) out[key] = Number((await this.byId('counters', docId(memberId, key)))?.value ?? 0);
    return out;
  }

  async configDocs(kind: ConfigKind, ids?: { from: string; to: string }): Promise<ConfigDoc[]> {
    const _ = this.db.command;
    const where = ids ? { kind, id: _.and(_.gte(ids.from), _.lte(ids.to)) } : { kind };
    const docs = await allDocs(this.col('config_docs').where(where).orderBy('id', 'asc'), CONFIG_DOCS_MAX);
    return docs.map((d) => configOf<ConfigDoc>(d));
  }

  async configVersions(kind: ConfigKind, id: string): Promise<ConfigVersion[]> {
    const query = this.col('config_versions').where({ kind, id }).orderBy('version', 'asc');
    return (await allDocs(query, CONFIG_DOCS_MAX)).map((d) => configOf<ConfigVersion>(d));
  }

  async membersWithLotsExpiring(from: number, to: number, after: string | null, limit: number): Promise<string[]> {
    // One range bound per field in the query; the other is applied here.
    const _ = this.db.command;
    const query = this.col('lots')
      .where({ remaining: _.gt(0), expiresAt: _.lte(to), accountId: _.gt(after ?? '') })
      .orderBy('accountId', 'asc');
    const docs = (await allDocs(query, DUE_SCAN_DOCS_MAX)).filter((d) => Number(d.expiresAt) >= from);
    return [...new Set(docs.map((d) => String(d.accountId)))].slice(0, limit);
  }

  async membersWithBirthday(monthDay: string, after: string | null, limit: number): Promise<string[]> {
    const query = this.col('members')
      .where({ birthMd: monthDay, id: this.db.command.gt(after ?? '') })
      .orderBy('id', 'asc');
    return (await allDocs(query, limit)).map((d) => String(d.id));
  }

  async membersWithTierDue(now: number, after: string | null, limit: number): Promise<string[]> {
    const _ = this.db.command;
    const query = this.col('members')
      .where({ tierUntil: _.lte(now), id: _.gt(after ?? '') })
      .orderBy('id', 'asc');
    return (await allDocs(query, limit)).map((d) => String(d.id));
  }

  async hasOpenAlert(kind: string, subject: string): Promise<boolean> {
    return (await allDocs(this.col('alerts').where({ status: 'open', kind, subject }), 1)).length > 0;
  }

  async alerts(status: AlertRow['status'] | null, limit: number): Promise<AlertRow[]> {
    const query = status === null ? this.col('alerts') : this.col('alerts').where({ status });
    return rows<AlertRow>(await allDocs(query.orderBy('id', 'desc'), limit));
  }

  /**
   * The document database has no GROUP BY here: the events from the first
   * day on are read (at most REPORT_EVENTS_MAX; a longer range is refused,
   * narrow it) and summed with the same rules as SQL (domain/reports.ts).
   */
  async reportDaily(
    days: readonly ReportDay[],
    groupBy: ReportGroup | null,
    opts: { sums?: ReportDay[]; activeAt?: readonly string[] | null } = {},
  ): Promise<{ rows: ReportSums[]; netSince: number; liabilityNow: number; activeMembers: number }> {
    if (days.length === 0) return { rows: [], netSince: 0, liabilityNow: 0, activeMembers: 0 };
    const sumDays = new Set((opts.sums ?? days).map((d) => d.date));
    const activeAt = opts.activeAt ? new Set(opts.activeAt) : null;
    const _ = this.db.command;
    const events = rows<EventRow>(
      complete(
        await allDocs(this.col('events').where({ createdAt: _.gte(days[0]!.start) }), REPORT_EVENTS_MAX + 1),
        REPORT_EVENTS_MAX,
        'events of the report',
      ),
    ).filter((e) => e.memberId);
    const regions = groupBy === 'region' ? new Map((await this.listStores()).map((st) => [st.id, st.region])) : null;
    const tiers = new Map<string, string | null>();
    const groupOf = async (e: EventRow): Promise<string | null> => {
      if (groupBy === 'store') return e.storeId ?? null;
      if (groupBy === 'region') return (e.storeId && regions!.get(e.storeId)) || null;
      if (groupBy === 'tier') {
        if (!tiers.has(e.memberId!)) tiers.set(e.memberId!, (await this.getMember(e.memberId!))?.tier ?? null);
        return tiers.get(e.memberId!) ?? null;
      }
      return null;
    };
    const sums = new Map<string, ReportSums & { members: Set<string> }>();
    const active = new Set<string>();
    const end = days.at(-1)!.end;
    for (const e of events) {
      if (e.createdAt >= end) continue;
      const day = days.find((d) => e.createdAt >= d.start && e.createdAt < d.end)!;
      const isActive = (ACTIVE_KINDS as readonly string[]).includes(e.kind);
      if (isActive && (!activeAt || activeAt.has(e.storeId ?? ''))) active.add(e.memberId!);
      if (!sumDays.has(day.date)) continue;
      const group = await groupOf(e);
      const key = `${day.date}|${group ?? ''}`;
      const row = sums.get(key) ?? {
        ...{ date: day.date, group, issued: 0, redeemed: 0, expired: 0, adjusted: 0, net: 0, activeMembers: 0 },
        members: new Set<string>(),
      };
      const c = countEvent(e.kind, e.delta);
      row.issued += c.issued;
      row.redeemed += c.redeemed;
      row.expired += c.expired;
      row.adjusted += c.adjusted;
      row.net += e.delta;
      if (isActive) row.members.add(e.memberId!);
      sums.set(key, row);
    }
    const members = rows<{ balance: number }>(
      await allDocs(this.col('accounts').where({ kind: 'member' }), Number.MAX_SAFE_INTEGER),
    );
    return {
      rows: [...sums.values()]
        .map(({ members: m, ...r }) => ({ ...r, activeMembers: m.size }))
        .sort((a, b) => a.date.localeCompare(b.date) || (a.group ?? '').localeCompare(b.group ?? '')),
      netSince: events.reduce((n, e) => n + e.delta, 0),
      liabilityNow: members.reduce((n, a) => n + a.balance, 0),
      activeMembers: active.size,
    };
  }

  async outboxDepth(): Promise<number> {
    return checked(await this.col('outbox').where({ status: 'pending' }).count()).total ?? 0;
  }

  async auditLog(q: AuditQuery): Promise<AuditEntry[]> {
    const _ = this.db.command;
    const at = [q.from === null ? null : _.gte(q.from), q.to === null ? null : _.lt(q.to)].filter((c) => c !== null);
    const where: Record<string, unknown> = { id: _.lt(q.beforeId ?? Number.MAX_SAFE_INTEGER) };
    if (at.length === 2) where.createdAt = _.and(at[0]!, at[1]!);
    else if (at.length === 1) where.createdAt = at[0];
    if (q.actor !== null) where.actor = q.actor;
    return rows<AuditEntry>(await allDocs(this.col('audit_log').where(where).orderBy('id', 'desc'), q.limit));
  }

  async vouchersInReview(limit: number): Promise<VoucherRow[]> {
    const query = this.col('vouchers').where({ status: 'pending_review' }).orderBy('createdAt', 'asc');
    return rows<VoucherRow>(await allDocs(query.orderBy('id', 'asc'), limit));
  }

  /**
   * Distinct account ids of matching documents after `after`, in id order.
   * Reads at most DUE_SCAN_DOCS_MAX documents a call: a member with more due
   * documents than that is still returned, and the next page starts after them.
   */
  private async distinctAccounts(
    name: string,
    where: Record<string, unknown>,
    after: string | null,
    limit: number,
  ): Promise<string[]> {
    const query = this.col(name)
      .where({ ...where, accountId: this.db.command.gt(after ?? '') })
      .orderBy('accountId', 'asc');
    const docs = await allDocs(query, DUE_SCAN_DOCS_MAX);
    return [...new Set(docs.map((d) => String(d.accountId)))].slice(0, limit);
  }

  membersWithDueLots(now: number, after: string | null, limit: number): Promise<string[]> {
    // No join here: members whose due points are all held come back too; the sweep's cursor passes them by.
    const _ = this.db.command;
    return this.distinctAccounts('lots', { remaining: _.gt(0), expiresAt: _.lte(now) }, after, limit);
  }

  membersWithDueHolds(now: number, after: string | null, limit: number): Promise<string[]> {
    return this.distinctAccounts('holds', { status: 'open', expiresAt: this.db.command.lte(now) }, after, limit);
  }

  async outboxOfTopic(topic: string, limit: number): Promise<OutboxMessage[]> {
    return rows<OutboxMessage>(await allDocs(this.col('outbox').where({ topic }).orderBy('id', 'desc'), limit));
  }

  async dueOutbox(now: number, limit: number): Promise<OutboxMessage[]> {
    const query = this.col('outbox').where({ status: 'pending', nextAt: this.db.command.lte(now) });
    return rows<OutboxMessage>(await allDocs(query.orderBy('nextAt', 'asc').orderBy('id', 'asc'), limit));
  }

  async openLots(accountId: string): Promise<LotRow[]> {
    const query = this.col('lots').where({ accountId, remaining: this.db.command.gt(0) });
    const docs = await allDocs(query.orderBy('id', 'asc'), OPEN_LOTS_MAX + 1);
    return rows<LotRow>(complete(docs, OPEN_LOTS_MAX, `open lots of ${accountId}`));
  }

  async recentEvents(q: RecentEventsQuery): Promise<EventRow[]> {
    const _ = this.db.command;
    const who = q.memberId ? { memberId: q.memberId } : { storeId: q.storeId ?? '' };
    const query = this.col('events')
      .where({ ...who, createdAt: _.gte(q.since), kind: _.in([...q.kinds]) })
      .orderBy('createdAt', 'desc');
    return rows<EventRow>(await allDocs(query, q.limit));
  }

  async countRecentEvents(q: RecentEventsQuery): Promise<number> {
    return (await this.recentEvents(q)).length; // at most `limit` small documents: a count query would cost the same
  }

  async history(memberId: string, beforeId: number | null, limit: number): Promise<HistoryPage> {
    const query = this.col('events')
      .where({ memberId, id: this.db.command.lt(beforeId ?? Number.MAX_SAFE_INTEGER) })
      .orderBy('id', 'desc');
    const docs = await allDocs(query, limit + 1);
    const items = rows<EventRow>(docs.slice(0, limit));
    return { items, nextBeforeId: docs.length > limit ? items[items.length - 1]!.id : null };
  }

  async ledgerSummary(): Promise<LedgerSummary> {
    if (this.closed) throw errors.storeUnavailable();
    return ledgerSummaryOf(this.db);
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = checked(await this.col(t).count()).total ?? 0;
    return out;
  }

  async ping(): Promise<void> {
    try {
      checked(await this.col('accounts').limit(1).get());
    } catch {
      throw errors.storeUnavailable();
    }
  }

  /** The SDK holds no connection: closing only stops this store from being used. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

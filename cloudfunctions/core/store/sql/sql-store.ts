/**
 * Reads shared by the SQL backends. A backend extends this with how it opens
 * a transaction, pings and closes.
 */
import type { AccountState } from '../../domain/accounts.js';
import type { LedgerSummary } from '../../domain/verify.js';
import type {
  AlertRow,
  ConfigDoc,
  ConfigKind,
  ConfigVersion,
  Backend,
  Channel,
  PayerLinkRow,
  EventRow,
  HistoryPage,
  HoldRow,
  LotRow,
  MemberRow,
  ClaimTicketRow,
  NotificationRow,
  OutboxMessage,
  PaymentRow,
  StaffRow,
  Store,
  StoreRow,
  Tx,
  VoucherRow,
  AuditEntry,
  AuditQuery,
  RecentEventsQuery,
  ReportDay,
  ReportGroup,
  ReportSums,
} from '../port.js';
import type { Reward } from '../../domain/rewards.js';
import {
  toAccount,
  toEvent,
  toHold,
  toLot,
  toMember,
  toNotification,
  toOutbox,
  toPayment,
  toStaff,
  toStore,
  toTicket,
  toReward,
  toVoucher,
  toPayerLink,
  toAlert,
  toAuditEntry,
  toConfigDoc,
  toConfigVersion,
} from './rows.js';
import type { SqlRunner, SqlValue } from './runner.js';
import { ACTIVE_KINDS, ISSUED_KINDS, SPENT_KINDS } from '../../domain/reports.js';
import { OPEN_LOTS_SQL } from './ledger-tx.js';
import { TABLES } from '../records.js';
import { readCounters } from './config-tx.js';
import {
  complete,
  NOTIFICATIONS_PER_TRADE_MAX,
  OPEN_LOTS_MAX,
  REWARDS_MAX,
  STAFF_MAX,
  STORES_MAX,
  SUBSCRIPTION_TEMPLATES_MAX,
} from '../limits.js';

// `remaining > 0` changes no sum but lets the lots subquery use the partial index lots_open: spent lots
// are in no index by account, and without it verifying 10,000 members over a million spent lots scanned
// the whole table once per account (found by the expiry bench: it never finished).
const ACCOUNT_SUMMARY_SQL = `
SELECT a.id, a.kind, a.balance, a.held,
  COALESCE((SELECT CAST(SUM(e.amount) AS BIGINT) FROM entries e WHERE e.account_id = a.id), 0) AS entry_sum,
  (SELECT e.balance_after FROM entries e WHERE e.account_id = a.id ORDER BY e.id DESC LIMIT 1) AS last_balance_after,
  COALESCE((SELECT CAST(SUM(l.remaining) AS BIGINT) FROM lots l WHERE l.account_id = a.id AND l.remaining > 0), 0) AS lot_remaining,
  COALESCE((SELECT CAST(SUM(h.amount) AS BIGINT) FROM holds h WHERE h.account_id = a.id AND h.status = 'open'), 0) AS open_holds
FROM accounts a ORDER BY a.id`;

const UNBALANCED_SQL = `
SELECT event_id, CAST(SUM(amount) AS BIGINT) AS total FROM entries
GROUP BY event_id HAVING SUM(amount) <> 0 ORDER BY event_id LIMIT 100`;

const BROKEN_CHAINS_SQL = `
SELECT id, account_id FROM (
  SELECT id, account_id, amount, balance_after,
         LAG(balance_after) OVER (PARTITION BY account_id ORDER BY id) AS prev
  FROM entries) t
WHERE balance_after <> COALESCE(prev, 0) + amount ORDER BY id LIMIT 100`;

const MEMBER_DELTA_SQL = `
SELECT ev.id FROM events ev LEFT JOIN (
  SELECT e.event_id, CAST(SUM(e.amount) AS BIGINT) AS total FROM entries e
  JOIN accounts a ON a.id = e.account_id AND a.kind = 'member' GROUP BY e.event_id
) m ON m.event_id = ev.id
WHERE ev.delta <> COALESCE(m.total, 0) ORDER BY ev.id LIMIT 100`;

export abstract class SqlStore implements Store {
  abstract readonly backend: Backend;
  abstract transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  protected constructor(protected readonly reader: SqlRunner) {}

  async findEvent(source: string, externalId: string): Promise<EventRow | null> {
    const r = await this.reader.get('SELECT * FROM events WHERE source = ? AND external_id = ?', [source, externalId]);
    return r ? toEvent(r) : null;
  }

  async getMember(id: string): Promise<MemberRow | null> {
    const r = await this.reader.get('SELECT * FROM members WHERE id = ?', [id]);
    return r ? toMember(r) : null;
  }

  async getAccount(id: string): Promise<AccountState | null> {
    const r = await this.reader.get('SELECT * FROM accounts WHERE id = ?', [id]);
    return r ? toAccount(r) : null;
  }

  async getHold(id: string): Promise<HoldRow | null> {
    const r = await this.reader.get('SELECT * FROM holds WHERE id = ?', [id]);
    return r ? toHold(r) : null;
  }

  async getPayment(id: string): Promise<PaymentRow | null> {
    const r = await this.reader.get('SELECT * FROM payments WHERE id = ?', [id]);
    return r ? toPayment(r) : null;
  }

  async paymentsPaidBetween(channel: Channel, from: number, to: number, limit: number): Promise<PaymentRow[]> {
    const rows = await this.reader.all(
      `SELECT * FROM payments WHERE channel = ? AND status = 'paid' AND paid_at >= ? AND paid_at < ?
       ORDER BY paid_at, id LIMIT ?`,
      [channel, from, to, limit],
    );
    return rows.map(toPayment);
  }

  async notifications(channel: Channel, tradeNo: string): Promise<Array<NotificationRow & { id: number }>> {
    const rows = await this.reader.all(
      'SELECT * FROM notifications WHERE channel = ? AND trade_no = ? ORDER BY id LIMIT ?',
      [channel, tradeNo, NOTIFICATIONS_PER_TRADE_MAX],
    );
    return rows.map(toNotification);
  }

  async listStores(): Promise<StoreRow[]> {
    return (await this.reader.all('SELECT * FROM stores ORDER BY id LIMIT ?', [STORES_MAX])).map(toStore);
  }

  async getStore(id: string): Promise<StoreRow | null> {
    const r = await this.reader.get('SELECT * FROM stores WHERE id = ?', [id]);
    return r ? toStore(r) : null;
  }

  async staffByTokenHash(hash: string): Promise<StaffRow | null> {
    const r = await this.reader.get('SELECT * FROM staff WHERE token_hash = ?', [hash]);
    return r ? toStaff(r) : null;
  }

  async listStaff(storeIds: readonly string[] | null): Promise<StaffRow[]> {
    if (storeIds?.length === 0) return [];
    const where = storeIds ? `WHERE store_id IN (${storeIds.map(() => '?').join(', ')})` : '';
    const rows = await this.reader.all(`SELECT * FROM staff ${where} ORDER BY created_at DESC, id LIMIT ?`, [
      ...(storeIds ?? []),
      STAFF_MAX,
    ]);
    return rows.map(toStaff);
  }

  async getTicket(id: string): Promise<ClaimTicketRow | null> {
    const r = await this.reader.get('SELECT * FROM claim_tickets WHERE id = ?', [id]);
    return r ? toTicket(r) : null;
  }

  async subscribeCredits(memberId: string): Promise<Record<string, number>> {
    const rows = await this.reader.all('SELECT template_id, credits FROM subscriptions WHERE member_id = ? LIMIT ?', [
      memberId,
      SUBSCRIPTION_TEMPLATES_MAX,
    ]);
    return Object.fromEntries(rows.map((r) => [String(r.template_id), Number(r.credits)]));
  }

  async listRewards(activeOnly: boolean): Promise<Reward[]> {
    const rows = await this.reader.all(
      `SELECT * FROM rewards ${activeOnly ? 'WHERE active = 1' : ''} ORDER BY points_cost, id LIMIT ?`,
      [REWARDS_MAX],
    );
    return rows.map(toReward);
  }

  async getReward(id: string): Promise<Reward | null> {
    const r = await this.reader.get('SELECT * FROM rewards WHERE id = ?', [id]);
    return r ? toReward(r) : null;
  }

  async getVoucher(id: string): Promise<VoucherRow | null> {
    const r = await this.reader.get('SELECT * FROM vouchers WHERE id = ?', [id]);
    return r ? toVoucher(r) : null;
  }

  async memberVouchers(memberId: string, limit: number): Promise<VoucherRow[]> {
    const rows = await this.reader.all(
      'SELECT * FROM vouchers WHERE member_id = ? ORDER BY created_at DESC, id LIMIT ?',
      [memberId, limit],
    );
    return rows.map(toVoucher);
  }

  async memberPayerLinks(memberId: string, limit: number): Promise<PayerLinkRow[]> {
    const rows = await this.reader.all(
      'SELECT * FROM payer_links WHERE member_id = ? ORDER BY updated_at DESC, id LIMIT ?',
      [memberId, limit],
    );
    return rows.map(toPayerLink);
  }

  async getPayerLink(id: string): Promise<PayerLinkRow | null> {
    const r = await this.reader.get('SELECT * FROM payer_links WHERE id = ?', [id]);
    return r ? toPayerLink(r) : null;
  }

  memberCounters(memberId: string, keys: readonly string[]): Promise<Record<string, number>> {
    return readCounters(this.reader, memberId, keys);
  }

  async configDocs(kind: ConfigKind, ids?: { from: string; to: string }): Promise<ConfigDoc[]> {
    const rows = ids
      ? await this.reader.all('SELECT * FROM config_docs WHERE kind = ? AND id >= ? AND id <= ? ORDER BY id', [
          kind,
          ids.from,
          ids.to,
        ])
      : await this.reader.all('SELECT * FROM config_docs WHERE kind = ? ORDER BY id', [kind]);
    return rows.map(toConfigDoc);
  }

  async configVersions(kind: ConfigKind, id: string): Promise<ConfigVersion[]> {
    const rows = await this.reader.all('SELECT * FROM config_versions WHERE kind = ? AND id = ? ORDER BY version', [
      kind,
      id,
    ]);
    return rows.map(toConfigVersion);
  }

  async membersWithLotsExpiring(from: number, to: number, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.reader.all(
      `SELECT DISTINCT account_id FROM lots
       WHERE remaining > 0 AND expires_at >= ? AND expires_at <= ? AND account_id > ?
       ORDER BY account_id LIMIT ?`,
      [from, to, after ?? '', limit],
    );
    return rows.map((r) => String(r.account_id));
  }

  async membersWithBirthday(monthDay: string, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.reader.all('SELECT id FROM members WHERE birth_md = ? AND id > ? ORDER BY id LIMIT ?', [
      monthDay,
      after ?? '',
      limit,
    ]);
    return rows.map((r) => String(r.id));
  }

  async membersWithTierDue(now: number, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.reader.all(
      'SELECT id FROM members WHERE tier_until IS NOT NULL AND tier_until <= ? AND id > ? ORDER BY id LIMIT ?',
      [now, after ?? '', limit],
    );
    return rows.map((r) => String(r.id));
  }

  async hasOpenAlert(kind: string, subject: string): Promise<boolean> {
    const r = await this.reader.get(
      "SELECT id FROM alerts WHERE status = 'open' AND kind = ? AND subject = ? LIMIT 1",
      [kind, subject],
    );
    return Boolean(r);
  }

  async alerts(status: AlertRow['status'] | null, limit: number): Promise<AlertRow[]> {
    const rows =
      status === null
        ? await this.reader.all('SELECT * FROM alerts ORDER BY id DESC LIMIT ?', [limit])
        : await this.reader.all('SELECT * FROM alerts WHERE status = ? ORDER BY id DESC LIMIT ?', [status, limit]);
    return rows.map(toAlert);
  }

  async auditLog(q: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: SqlValue[] = [];
    const add = (clause: string, value: SqlValue) => {
      where.push(clause);
      args.push(value);
    };
    if (q.from !== null) add('created_at >= ?', q.from);
    if (q.to !== null) add('created_at < ?', q.to);
    if (q.actor !== null) add('actor = ?', q.actor);
    if (q.beforeId !== null) add('id < ?', q.beforeId);
    const rows = await this.reader.all(
      `SELECT * FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...args, q.limit],
    );
    return rows.map(toAuditEntry);
  }

  async vouchersInReview(limit: number): Promise<VoucherRow[]> {
    const rows = await this.reader.all(
      "SELECT * FROM vouchers WHERE status = 'pending_review' ORDER BY created_at, id LIMIT ?",
      [limit],
    );
    return rows.map(toVoucher);
  }

  async membersWithDueHolds(now: number, after: string | null, limit: number): Promise<string[]> {
    const rows = await this.reader.all(
      `SELECT DISTINCT account_id FROM holds WHERE status = 'open' AND expires_at <= ? AND account_id > ?
       ORDER BY account_id LIMIT ?`,
      [now, after ?? '', limit],
    );
    return rows.map((r) => String(r.account_id));
  }

  async membersWithDueLots(now: number, after: string | null, limit: number): Promise<string[]> {
    // Points an open hold reserves never expire (planExpiry): a member with nothing free is not due.
    const rows = await this.reader.all(
      `SELECT DISTINCT l.account_id FROM lots l JOIN accounts a ON a.id = l.account_id
       WHERE l.remaining > 0 AND l.expires_at <= ? AND l.account_id > ? AND a.balance - a.held > 0
       ORDER BY l.account_id LIMIT ?`,
      [now, after ?? '', limit],
    );
    return rows.map((r) => String(r.account_id));
  }

  async reportDaily(
    days: readonly ReportDay[],
    groupBy: ReportGroup | null,
    opts: { sums?: ReportDay[]; activeAt?: readonly string[] | null } = {},
  ): Promise<{ rows: ReportSums[]; netSince: number; liabilityNow: number; activeMembers: number }> {
    if (days.length === 0) return { rows: [], netSince: 0, liabilityNow: 0, activeMembers: 0 };
    const sumDays = opts.sums ?? days;
    const list = (kinds: readonly string[]) => kinds.map((k) => `'${k}'`).join(', ');
    const group = { store: 'ev.store_id', region: 'st.region', tier: 'm.tier' }[groupBy ?? 'store'];
    const stores = opts.activeAt ?? null;
    const atStores = stores ? `AND ev.store_id IN (${stores.map(() => '?').join(', ') || 'NULL'})` : '';
    // The day bounds as a table joined on the events_time index: one range scan per day, one query in all.
    const values = sumDays.map(() => '(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ');
    const bounds = sumDays.flatMap((d) => [d.date, d.start, d.end]);
    const rows =
      sumDays.length === 0
        ? []
        : await this.reader.all(
            `WITH days (d, s, e) AS (VALUES ${values})
       SELECT days.d AS day, ${groupBy ? group : 'NULL'} AS grp,
         SUM(CASE WHEN ev.kind IN (${list(ISSUED_KINDS)}) OR (ev.kind = 'refund' AND ev.delta < 0) THEN ev.delta ELSE 0 END) AS issued,
         SUM(CASE WHEN ev.kind IN (${list(SPENT_KINDS)}) OR (ev.kind = 'refund' AND ev.delta > 0) THEN -ev.delta ELSE 0 END) AS redeemed,
         SUM(CASE WHEN ev.kind = 'expire' THEN -ev.delta ELSE 0 END) AS expired,
         SUM(CASE WHEN ev.kind = 'adjust' THEN ev.delta ELSE 0 END) AS adjusted,
         SUM(ev.delta) AS net,
         COUNT(DISTINCT CASE WHEN ev.kind IN (${list(ACTIVE_KINDS)}) THEN ev.member_id END) AS active
       FROM days JOIN events ev ON ev.created_at >= days.s AND ev.created_at < days.e
       ${groupBy === 'region' ? 'LEFT JOIN stores st ON st.id = ev.store_id' : ''}
       ${groupBy === 'tier' ? 'LEFT JOIN members m ON m.id = ev.member_id' : ''}
       WHERE ev.member_id IS NOT NULL
       GROUP BY days.d${groupBy ? `, ${group}` : ''}
       ORDER BY days.d`,
            bounds,
          );
    const since = await this.reader.get(
      'SELECT COALESCE(SUM(delta), 0) AS net FROM events WHERE created_at >= ? AND member_id IS NOT NULL',
      [days[0]!.start],
    );
    const now = await this.reader.get("SELECT COALESCE(SUM(balance), 0) AS total FROM accounts WHERE kind = 'member'");
    const active = await this.reader.get(
      `SELECT COUNT(DISTINCT member_id) AS n FROM events ev
       WHERE created_at >= ? AND created_at < ? AND kind IN (${list(ACTIVE_KINDS)}) ${atStores}`,
      [days[0]!.start, days.at(-1)!.end, ...(stores ?? [])],
    );
    return {
      rows: rows.map((r) => ({
        date: String(r.day),
        group: r.grp === null || r.grp === undefined || r.grp === '' ? null : String(r.grp),
        issued: Number(r.issued),
        redeemed: Number(r.redeemed),
        expired: Number(r.expired),
        adjusted: Number(r.adjusted),
        net: Number(r.net),
        activeMembers: Number(r.active),
      })),
      netSince: Number(since?.net ?? 0),
      liabilityNow: Number(now?.total ?? 0),
      activeMembers: Number(active?.n ?? 0),
    };
  }

  async outboxDepth(): Promise<number> {
    // The partial index outbox_due covers exactly the pending rows.
    const r = await this.reader.get("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND next_at >= 0");
    return Number(r?.n ?? 0);
  }

  async outboxOfTopic(topic: string, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.reader.all('SELECT * FROM outbox WHERE topic = ? ORDER BY id DESC LIMIT ?', [topic, limit]);
    return rows.map(toOutbox);
  }

  async dueOutbox(now: number, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.reader.all(
      "SELECT * FROM outbox WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
      [now, limit],
    );
    return rows.map(toOutbox);
  }

  async openLots(accountId: string): Promise<LotRow[]> {
    const rows = await this.reader.all(OPEN_LOTS_SQL, [accountId, OPEN_LOTS_MAX + 1]);
    return complete(rows, OPEN_LOTS_MAX, `open lots of ${accountId}`).map(toLot);
  }

  async recentEvents(q: RecentEventsQuery): Promise<EventRow[]> {
    const [where, params] = recentEventsWhere(q);
    const rows = await this.reader.all(
      `SELECT * FROM events WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, q.limit],
    );
    return rows.map(toEvent);
  }

  async countRecentEvents(q: RecentEventsQuery): Promise<number> {
    const [where, params] = recentEventsWhere(q);
    // No order: nothing makes the engine walk an index by id instead of the window.
    const row = await this.reader.get(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM events WHERE ${where} LIMIT ?) AS recent`,
      [...params, q.limit],
    );
    return Number(row?.n ?? 0);
  }

  async history(memberId: string, beforeId: number | null, limit: number): Promise<HistoryPage> {
    const rows = await this.reader.all('SELECT * FROM events WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?', [
      memberId,
      beforeId ?? Number.MAX_SAFE_INTEGER,
      limit + 1,
    ]);
    const items = rows.slice(0, limit).map(toEvent);
    return { items, nextBeforeId: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  async ledgerSummary(): Promise<LedgerSummary> {
    const [accounts, unbalanced, chains, deltas] = [
      await this.reader.all(ACCOUNT_SUMMARY_SQL),
      await this.reader.all(UNBALANCED_SQL),
      await this.reader.all(BROKEN_CHAINS_SQL),
      await this.reader.all(MEMBER_DELTA_SQL),
    ];
    return {
      accounts: accounts.map((r) => ({
        id: String(r.id),
        kind: r.kind as 'member' | 'system',
        balance: Number(r.balance),
        held: Number(r.held),
        entrySum: Number(r.entry_sum),
        lastBalanceAfter: r.last_balance_after === null ? null : Number(r.last_balance_after),
        lotRemaining: Number(r.lot_remaining),
        openHolds: Number(r.open_holds),
      })),
      unbalancedEvents: unbalanced.map((r) => ({ eventId: Number(r.event_id), sum: Number(r.total) })),
      brokenChains: chains.map((r) => ({ entryId: Number(r.id), accountId: String(r.account_id) })),
      memberDeltaMismatches: deltas.map((r) => ({ eventId: Number(r.id) })),
    };
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES) {
      const r = await this.reader.get(`SELECT COUNT(*) AS n FROM ${t}`);
      out[t] = Number(r?.n ?? 0);
    }
    return out;
  }
}

/** A member's events of some kinds since a time (through events_member_time), or a store's (through events_time). */
function recentEventsWhere(q: RecentEventsQuery): [string, SqlValue[]] {
  const kinds = q.kinds.map(() => '?').join(', ');
  return q.memberId
    ? [`member_id = ? AND created_at >= ? AND kind IN (${kinds})`, [q.memberId, q.since, ...q.kinds]]
    : [`created_at >= ? AND store_id = ? AND kind IN (${kinds})`, [q.since, q.storeId ?? '', ...q.kinds]];
}

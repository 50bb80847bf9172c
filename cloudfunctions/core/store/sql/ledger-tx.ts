/** The ledger and payment half of the Tx port over any SQL runner (sql-tx.ts completes it). */
import type { AccountState } from '../../domain/accounts.js';
import { pendingPayment, storedPayment } from '../records.js';
import {
  UniqueViolation,
  VersionConflict,
  type EventRow,
  type HoldRow,
  type HoldStatus,
  type LotRow,
  type MemberRow,
  type NewEntry,
  type NewEvent,
  type NewLot,
  type NotificationRow,
  type OutboxRow,
  type PaymentRow,
  type RefundRow,
  type Channel,
} from '../port.js';
import { toAccount, toEvent, toHold, toLot, toMember, toPayment } from './rows.js';
import type { Dialect, SqlRunner, SqlValue } from './runner.js';
import { complete, OPEN_LOTS_MAX } from '../limits.js';

export const EVENT_COLUMNS =
  'source, external_id, request_hash, kind, member_id, delta, balance_after, held_after, store_id, meta, created_at';
export const OPEN_LOTS_SQL = 'SELECT * FROM lots WHERE account_id = ? AND remaining > 0 ORDER BY id LIMIT ?';

/** A payment's columns that its notifications fill in, in one order for the insert and the update. */
const PAYMENT_COLUMNS = [
  'out_trade_no',
  'status',
  'app_id',
  'payer_kind',
  'payer_id',
  'member_id',
  'store_id',
  'total_fen',
  'paid_fen',
  'points_earned',
  'refunded_fen',
  'points_clawed',
  'paid_at',
  'updated_at',
  'attribution',
  'rules',
];
const paymentValues = (p: PaymentRow): SqlValue[] => [
  p.outTradeNo,
  p.status,
  p.appId,
  p.payerKind,
  p.payerId,
  p.memberId,
  p.storeId,
  p.totalFen,
  p.paidFen,
  p.pointsEarned,
  p.refundedFen,
  p.pointsClawed,
  p.paidAt,
  p.updatedAt,
  p.attribution ?? null,
  p.rules ? JSON.stringify(p.rules) : null,
];
const INSERT_PAYMENT_SQL = `INSERT INTO payments (id, channel, trade_no, created_at, ${PAYMENT_COLUMNS.join(', ')})
  VALUES (?, ?, ?, ?, ${PAYMENT_COLUMNS.map(() => '?').join(', ')})`;
const SAVE_PAYMENT_SQL = `UPDATE payments SET ${PAYMENT_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

export class SqlLedgerTx {
  /**
   * Accounts this transaction has locked, as they now stand. A locked row
   * changes only through this transaction (updateAccount keeps the copy
   * current), so locking it again reads nothing: a payment locks its member
   * twice (the referral check, then the posting), one statement saved, one
   * round trip on PostgreSQL.
   */
  private readonly locked = new Map<string, AccountState>();

  constructor(
    protected readonly db: SqlRunner,
    protected readonly dialect: Dialect,
  ) {}

  async findEvent(source: string, externalId: string): Promise<EventRow | null> {
    const r = await this.db.get('SELECT * FROM events WHERE source = ? AND external_id = ?', [source, externalId]);
    return r ? toEvent(r) : null;
  }

  async getEvent(memberId: string, id: number): Promise<EventRow | null> {
    const r = await this.db.get('SELECT * FROM events WHERE id = ? AND member_id = ?', [id, memberId]);
    return r ? toEvent(r) : null;
  }

  async insertEvent(e: NewEvent): Promise<EventRow | null> {
    const r = await this.db.get(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, external_id) DO NOTHING RETURNING id`,
      [
        e.source,
        e.externalId,
        e.requestHash,
        e.kind,
        e.memberId,
        e.delta,
        e.balanceAfter,
        e.heldAfter,
        e.storeId,
        JSON.stringify(e.meta),
        e.createdAt,
      ],
    );
    return r ? { ...e, id: Number(r.id) } : null;
  }

  async insertEntries(entries: NewEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement for all entries, sent without waiting (PostgreSQL pipelines it).
    await this.db.send(
      `INSERT INTO entries (event_id, account_id, amount, balance_after, created_at) VALUES ${entries
        .map(() => '(?, ?, ?, ?, ?)')
        .join(', ')}`,
      entries.flatMap((e) => [e.eventId, e.accountId, e.amount, e.balanceAfter, e.createdAt]),
    );
  }

  async lockAccount(id: string): Promise<AccountState | null> {
    const known = this.locked.get(id);
    if (known) return { ...known };
    const r = await this.db.get(`SELECT * FROM accounts WHERE id = ?${this.dialect.forUpdate}`, [id]);
    if (!r) return null;
    const account = toAccount(r);
    this.locked.set(id, account);
    return { ...account };
  }

  async insertAccount(id: string, kind: AccountState['kind'], createdAt: number): Promise<void> {
    this.locked.delete(id);
    await this.db.send(
      'INSERT INTO accounts (id, kind, balance, held, version, created_at) VALUES (?, ?, 0, 0, 0, ?) ON CONFLICT (id) DO NOTHING',
      [id, kind, createdAt],
    );
  }

  async updateAccount(id: string, expectedVersion: number, balance: number, held: number): Promise<void> {
    // Sent without waiting: a version that moved fails the transaction at its next statement or its commit.
    await this.db.send(
      'UPDATE accounts SET balance = ?, held = ?, version = version + 1 WHERE id = ? AND version = ?',
      [balance, held, id, expectedVersion],
      {
        changed: (n) => {
          if (n !== 1) throw new VersionConflict(id);
        },
      },
    );
    const known = this.locked.get(id);
    if (known) this.locked.set(id, { ...known, balance, held, version: expectedVersion + 1 });
  }

  async addToSystemShard(id: string, delta: number): Promise<number> {
    this.locked.delete(id);
    const r = await this.db.get(
      "UPDATE accounts SET balance = balance + ?, version = version + 1 WHERE id = ? AND kind = 'system' RETURNING balance",
      [delta, id],
    );
    if (!r) throw new Error(`system account ${id} does not exist (missing migration?)`);
    return Number(r.balance);
  }

  async openLots(accountId: string): Promise<LotRow[]> {
    const rows = await this.db.all(OPEN_LOTS_SQL, [accountId, OPEN_LOTS_MAX + 1]);
    return complete(rows, OPEN_LOTS_MAX, `open lots of ${accountId}`).map(toLot);
  }

  async insertLot(l: NewLot): Promise<void> {
    await this.db.send(
      'INSERT INTO lots (account_id, event_id, amount, remaining, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [l.accountId, l.eventId, l.amount, l.remaining, l.expiresAt, l.createdAt],
    );
  }

  async setLotRemaining(id: number, remaining: number): Promise<void> {
    await this.db.send('UPDATE lots SET remaining = ? WHERE id = ?', [remaining, id]);
  }

  async insertHold(h: HoldRow): Promise<void> {
    await this.db.send(
      'INSERT INTO holds (id, account_id, amount, status, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [h.id, h.accountId, h.amount, h.status, h.expiresAt, h.createdAt, h.updatedAt],
    );
  }

  async getHold(id: string): Promise<HoldRow | null> {
    const r = await this.db.get('SELECT * FROM holds WHERE id = ?', [id]);
    return r ? toHold(r) : null;
  }

  async setHoldStatus(id: string, status: HoldStatus, updatedAt: number): Promise<void> {
    await this.db.send('UPDATE holds SET status = ?, updated_at = ? WHERE id = ?', [status, updatedAt, id]);
  }

  async setHoldStore(id: string, storeId: string, updatedAt: number): Promise<void> {
    await this.db.send('UPDATE holds SET store_id = ?, updated_at = ? WHERE id = ?', [storeId, updatedAt, id]);
  }

  async expiredHolds(accountId: string, now: number): Promise<HoldRow[]> {
    const rows = await this.db.all(
      "SELECT * FROM holds WHERE account_id = ? AND status = 'open' AND expires_at <= ? ORDER BY id",
      [accountId, now],
    );
    return rows.map(toHold);
  }

  async ensurePayment(id: string, channel: Channel, tradeNo: string, now: number): Promise<void> {
    await this.db.run(
      // id is channel:trade_no, the order's one unique key; a racing insert of the same order does nothing.
      `INSERT INTO payments (id, channel, trade_no, status, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [id, channel, tradeNo, now, now],
    );
  }

  async lockPayment(id: string): Promise<PaymentRow | null> {
    const r = await this.db.get(`SELECT * FROM payments WHERE id = ?${this.dialect.forUpdate}`, [id]);
    return r ? toPayment(r) : null;
  }

  async openPayment(
    id: string,
    channel: Channel,
    tradeNo: string,
    now: number,
    orderLocked: boolean,
  ): Promise<{ row: PaymentRow; stored: boolean }> {
    // SQLite (no FOR UPDATE: BEGIN IMMEDIATE serializes whole transactions), or the order's lock held: a row absent
    // now stays absent, but for a refund, which insertPayment's conflict catches.
    if (this.dialect.forUpdate === '' || orderLocked) {
      const found = await this.lockPayment(id);
      return found ? { row: found, stored: true } : { row: pendingPayment(id, channel, tradeNo, now), stored: false };
    }
    return { row: await storedPayment(this, id, channel, tradeNo, now), stored: true };
  }

  async insertPayment(p: PaymentRow): Promise<void> {
    // A row made meanwhile (a refund's) breaks the key: the transaction runs again and finds it.
    await this.db.send(INSERT_PAYMENT_SQL, [p.id, p.channel, p.tradeNo, p.createdAt, ...paymentValues(p)], {
      failed: (e) => (e instanceof UniqueViolation ? new VersionConflict(p.id) : e),
    });
  }

  async savePayment(p: PaymentRow): Promise<void> {
    await this.db.send(SAVE_PAYMENT_SQL, [...paymentValues(p), p.id]);
  }

  async insertRefund(r: RefundRow): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO refunds (channel, refund_key, payment_id, amount_fen, cumulative, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, refund_key) DO NOTHING`,
      [r.channel, r.refundKey, r.paymentId, r.amountFen, r.cumulative ? 1 : 0, r.createdAt],
    );
    return changed === 1;
  }

  async insertNotification(n: NotificationRow): Promise<void> {
    await this.db.send(
      `INSERT INTO notifications (channel, notify_id, event_type, trade_no, refund_key, amount_fen, payload, result, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        n.channel,
        n.notifyId,
        n.eventType,
        n.tradeNo,
        n.refundKey,
        n.amountFen,
        JSON.stringify(n.payload),
        n.result,
        n.receivedAt,
      ],
    );
  }

  async insertOutbox(o: OutboxRow): Promise<void> {
    await this.db.send(
      "INSERT INTO outbox (topic, member_id, payload, status, attempts, next_at, created_at) VALUES (?, ?, ?, 'pending', 0, ?, ?)",
      [o.topic, o.memberId, JSON.stringify(o.payload), o.createdAt, o.createdAt],
    );
  }

  async findMemberByOpenid(openid: string): Promise<MemberRow | null> {
    const r = await this.db.get('SELECT * FROM members WHERE openid = ?', [openid]);
    return r ? toMember(r) : null;
  }

  async insertMember(m: MemberRow): Promise<MemberRow | null> {
    const r = await this.db.get(
      `INSERT INTO members (id, openid, unionid, status, growth, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING id`,
      [m.id, m.openid, m.unionid, m.status, m.growth, m.createdAt],
    );
    return r ? m : null;
  }

  async getMember(id: string): Promise<MemberRow | null> {
    const r = await this.db.get('SELECT * FROM members WHERE id = ?', [id]);
    return r ? toMember(r) : null;
  }

  async setMemberStatus(memberId: string, status: MemberRow['status']): Promise<void> {
    await this.db.send('UPDATE members SET status = ? WHERE id = ?', [status, memberId]);
  }
}

/** The identity half of the Tx port (stores, staff, tickets, payer links, phones, subscriptions, outbox). */
import type {
  Channel,
  ClaimTicketRow,
  MemberRow,
  OutboxMessage,
  NewAlert,
  PayerKind,
  PayerLinkRow,
  PaymentRow,
  StaffRow,
  StoreRow,
  Tx,
} from '../port.js';
import { present } from '../../domain/assert.js';
import { ERASED, erasableIds } from '../../domain/erasure.js';
import { toMember, toOutbox, toPayerLink, toPayment, toStore, toTicket } from './rows.js';
import { SqlConfigTx } from './config-tx.js';

export class SqlTx extends SqlConfigTx implements Tx {
  async findPaymentByOrder(channel: Channel, outTradeNo: string): Promise<PaymentRow | null> {
    const r = await this.db.get(
      `SELECT * FROM payments WHERE channel = ? AND out_trade_no = ? ORDER BY created_at LIMIT 1${this.dialect.forUpdate}`,
      [channel, outTradeNo],
    );
    return r ? toPayment(r) : null;
  }

  async lockOrder(channel: Channel, outTradeNo: string): Promise<void> {
    // SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): every order is locked already.
    if (this.dialect.forUpdate === '') return;
    // An insert locks its new row, and DO UPDATE locks (waiting for) the row that is already there. Sent without
    // waiting: the statements after it queue behind the lock on the server all the same.
    await this.db.send(
      `INSERT INTO order_locks (channel, out_trade_no) VALUES (?, ?)
       ON CONFLICT (channel, out_trade_no) DO UPDATE SET channel = excluded.channel`,
      [channel, outTradeNo],
    );
  }

  async insertStore(s: StoreRow): Promise<boolean> {
    const changed = await this.db.run(
      'INSERT INTO stores (id, name, region, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [s.id, s.name, s.region, s.createdAt],
    );
    return changed === 1;
  }

  async getStore(id: string): Promise<StoreRow | null> {
    const r = await this.db.get('SELECT * FROM stores WHERE id = ?', [id]);
    return r ? toStore(r) : null;
  }

  async insertStaff(s: StaffRow): Promise<void> {
    await this.db.run(
      'INSERT INTO staff (id, name, store_id, role, token_hash, revoked_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [s.id, s.name, s.storeId, s.role, s.tokenHash, s.revokedAt, s.createdAt],
    );
  }

  async revokeStaff(id: string, at: number): Promise<boolean> {
    return (await this.db.run('UPDATE staff SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])) === 1;
  }

  async insertTicket(t: ClaimTicketRow): Promise<void> {
    await this.db.run(
      `INSERT INTO claim_tickets (id, channel, out_trade_no, store_id, created_by, expires_at, member_id, claimed_at, points, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        t.id,
        t.channel,
        t.outTradeNo,
        t.storeId,
        t.createdBy,
        t.expiresAt,
        t.memberId,
        t.claimedAt,
        t.points,
        t.createdAt,
      ],
    );
  }

  async lockTicket(id: string): Promise<ClaimTicketRow | null> {
    const r = await this.db.get(`SELECT * FROM claim_tickets WHERE id = ?${this.dialect.forUpdate}`, [id]);
    return r ? toTicket(r) : null;
  }

  async claimedTicketForOrder(channel: Channel, outTradeNo: string): Promise<ClaimTicketRow | null> {
    const r = await this.db.get(
      `SELECT * FROM claim_tickets WHERE channel = ? AND out_trade_no = ? AND member_id IS NOT NULL
       ORDER BY claimed_at LIMIT 1${this.dialect.forUpdate}`,
      [channel, outTradeNo],
    );
    return r ? toTicket(r) : null;
  }

  async saveTicket(t: ClaimTicketRow): Promise<void> {
    await this.db.run('UPDATE claim_tickets SET member_id = ?, claimed_at = ?, points = ? WHERE id = ?', [
      t.memberId,
      t.claimedAt,
      t.points,
      t.id,
    ]);
  }

  async findPayerLink(kind: PayerKind, payerId: string): Promise<PayerLinkRow | null> {
    const r = await this.db.get('SELECT * FROM payer_links WHERE payer_kind = ? AND payer_id = ?', [kind, payerId]);
    return r ? toPayerLink(r) : null;
  }

  async lockPayerLink(
    kind: PayerKind,
    payerId: string,
    absent: { id: string; memberId: string; at: number },
  ): Promise<PayerLinkRow> {
    await this.db.run(
      `INSERT INTO payer_links (id, payer_kind, payer_id, member_id, status, claims, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (payer_kind, payer_id) DO NOTHING`,
      [absent.id, kind, payerId, absent.memberId, absent.at, absent.at],
    );
    const r = await this.db.get(
      `SELECT * FROM payer_links WHERE payer_kind = ? AND payer_id = ?${this.dialect.forUpdate}`,
      [kind, payerId],
    );
    return toPayerLink(present(r, 'the payer link made or found above exists'));
  }

  async savePayerLink(l: PayerLinkRow): Promise<void> {
    await this.db.run('UPDATE payer_links SET member_id = ?, status = ?, claims = ?, updated_at = ? WHERE id = ?', [
      l.memberId,
      l.status,
      l.claims,
      l.updatedAt,
      l.id,
    ]);
  }

  async insertAlert(a: NewAlert): Promise<void> {
    await this.db.send("INSERT INTO alerts (kind, subject, detail, status, created_at) VALUES (?, ?, ?, 'open', ?)", [
      a.kind,
      a.subject,
      JSON.stringify(a.detail),
      a.createdAt,
    ]);
  }

  async resolveAlert(id: number, by: string, at: number): Promise<boolean> {
    const changed = await this.db.run(
      "UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = ? WHERE id = ? AND status = 'open'",
      [at, by, id],
    );
    return changed === 1;
  }

  async findMemberByPhoneHash(hash: string): Promise<MemberRow | null> {
    const r = await this.db.get('SELECT * FROM members WHERE phone_hash = ?', [hash]);
    return r ? toMember(r) : null;
  }

  async setMemberUnionid(memberId: string, unionid: string): Promise<void> {
    await this.db.run('UPDATE members SET unionid = ? WHERE id = ?', [unionid, memberId]);
  }

  async setMemberPhone(memberId: string, phoneEnc: string | null, phoneHash: string | null): Promise<void> {
    await this.db.run('UPDATE members SET phone_enc = ?, phone_hash = ? WHERE id = ?', [phoneEnc, phoneHash, memberId]);
  }

  async addSubscribeCredits(memberId: string, templateId: string, credits: number, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO subscriptions (member_id, template_id, credits, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (member_id, template_id) DO UPDATE SET credits = subscriptions.credits + excluded.credits, updated_at = excluded.updated_at`,
      [memberId, templateId, credits, at],
    );
  }

  async takeSubscribeCredit(memberId: string, templateId: string, at: number): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE subscriptions SET credits = credits - 1, updated_at = ? WHERE member_id = ? AND template_id = ? AND credits > 0',
      [at, memberId, templateId],
    );
    return changed === 1;
  }

  async claimDueOutbox(now: number, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db.all(
      `UPDATE outbox SET status = 'sending' WHERE id IN (
         SELECT id FROM outbox WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?${this.dialect.skipLocked}
       ) RETURNING *`,
      [now, limit],
    );
    // RETURNING promises no order; the claim's own order (the same messages either way) is oldest first.
    return rows.map(toOutbox).sort((a, b) => a.nextAt - b.nextAt || a.id - b.id);
  }

  async markOutbox(id: number, status: OutboxMessage['status'], attempts: number, nextAt: number): Promise<void> {
    await this.db.send('UPDATE outbox SET status = ?, attempts = ?, next_at = ? WHERE id = ?', [
      status,
      attempts,
      nextAt,
      id,
    ]);
  }

  async eraseMember(memberId: string, at: number): Promise<void> {
    const m = await this.db.get('SELECT openid, unionid FROM members WHERE id = ?', [memberId]);
    if (!m) return;
    const links = await this.db.all('SELECT payer_id FROM payer_links WHERE member_id = ?', [memberId]);
    const ids = erasableIds(
      { openid: m.openid as string | null, unionid: m.unionid as string | null },
      links.map((l) => String(l.payer_id)),
    );
    const inIds = ids.map(() => '?').join(', ') || 'NULL';
    const payments = await this.db.all(
      `SELECT DISTINCT channel, trade_no FROM payments WHERE member_id = ? OR payer_id IN (${inIds})`,
      [memberId, ...ids],
    );
    await this.db.run(
      `UPDATE payments SET payer_kind = NULL, payer_id = NULL WHERE member_id = ? OR payer_id IN (${inIds})`,
      [memberId, ...ids],
    );
    // Only the payload may change (migration 11): the payment's facts stay, its payer's ids go.
    for (const p of payments) {
      for (const id of ids) {
        await this.db.run(
          'UPDATE notifications SET payload = REPLACE(payload, ?, ?) WHERE channel = ? AND trade_no = ? AND payload LIKE ?',
          [id, ERASED, String(p.channel), String(p.trade_no), `%${id}%`],
        );
      }
    }
    await this.db.run('DELETE FROM payer_links WHERE member_id = ?', [memberId]);
    await this.db.run('DELETE FROM subscriptions WHERE member_id = ?', [memberId]);
    await this.db.run('DELETE FROM pay_codes WHERE member_id = ?', [memberId]);
    await this.db.run(
      `UPDATE outbox SET payload = '{}', status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END
       WHERE member_id = ?`,
      [memberId],
    );
    await this.db.run(
      `UPDATE members SET openid = NULL, unionid = NULL, phone_enc = NULL, phone_hash = NULL, birthday = NULL,
       birth_md = NULL, status = 'frozen', erased_at = ? WHERE id = ?`,
      [at, memberId],
    );
  }
}

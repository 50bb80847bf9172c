/** The rewards part of the Tx port (catalog, stock, vouchers, audit) over any SQL runner. */
import type { Reward } from '../../domain/rewards.js';
import type { AuditRow, VoucherRow } from '../port.js';
import { SqlLedgerTx } from './ledger-tx.js';
import { toReward, toVoucher } from './rows.js';

export class SqlRewardsTx extends SqlLedgerTx {
  async insertReward(r: Reward): Promise<void> {
    await this.db.run(
      `INSERT INTO rewards (id, name, kind, points_cost, stock, spec, active, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.id,
        r.name,
        r.kind,
        r.pointsCost,
        r.stock,
        JSON.stringify(r.spec),
        r.active ? 1 : 0,
        r.version,
        r.createdAt,
        r.updatedAt,
      ],
    );
  }

  async lockReward(id: string): Promise<Reward | null> {
    const r = await this.db.get(`SELECT * FROM rewards WHERE id = ?${this.dialect.forUpdate}`, [id]);
    return r ? toReward(r) : null;
  }

  async getReward(id: string): Promise<Reward | null> {
    const r = await this.db.get('SELECT * FROM rewards WHERE id = ?', [id]);
    return r ? toReward(r) : null;
  }

  async saveReward(r: Reward): Promise<void> {
    await this.db.run(
      `UPDATE rewards SET name = ?, kind = ?, points_cost = ?, stock = ?, spec = ?, active = ?, version = version + 1,
         updated_at = ? WHERE id = ?`,
      [r.name, r.kind, r.pointsCost, r.stock, JSON.stringify(r.spec), r.active ? 1 : 0, r.updatedAt, r.id],
    );
  }

  async takeStock(rewardId: string): Promise<boolean> {
    // Unlimited (NULL) stock always succeeds; a limited one only while some is left.
    const changed = await this.db.run(
      'UPDATE rewards SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END WHERE id = ? AND (stock IS NULL OR stock > 0)',
      [rewardId],
    );
    return changed === 1;
  }

  async returnStock(rewardId: string): Promise<void> {
    await this.db.run('UPDATE rewards SET stock = stock + 1 WHERE id = ? AND stock IS NOT NULL', [rewardId]);
  }

  async insertVoucher(v: VoucherRow): Promise<void> {
    await this.db.run(
      `INSERT INTO vouchers (id, code, member_id, reward_id, event_id, points, status, hold_id, store_id, expires_at,
         used_at, used_store_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        v.id,
        v.code,
        v.memberId,
        v.rewardId,
        v.eventId,
        v.points,
        v.status,
        v.holdId,
        v.storeId,
        v.expiresAt,
        v.usedAt,
        v.usedStoreId,
        v.createdAt,
        v.updatedAt,
      ],
    );
  }

  async lockVoucher(id: string): Promise<VoucherRow | null> {
    const r = await this.db.get(`SELECT * FROM vouchers WHERE id = ?${this.dialect.forUpdate}`, [id]);
    return r ? toVoucher(r) : null;
  }

  async lockVoucherByCode(code: string): Promise<VoucherRow | null> {
    const r = await this.db.get(`SELECT * FROM vouchers WHERE code = ?${this.dialect.forUpdate}`, [code]);
    return r ? toVoucher(r) : null;
  }

  async saveVoucher(v: VoucherRow): Promise<void> {
    await this.db.run(
      'UPDATE vouchers SET status = ?, hold_id = ?, event_id = ?, used_at = ?, used_store_id = ?, updated_at = ? WHERE id = ?',
      [v.status, v.holdId, v.eventId, v.usedAt, v.usedStoreId, v.updatedAt, v.id],
    );
  }

  async redeemedSince(
    memberId: string,
    rewardId: string | null,
    since: number,
  ): Promise<{ count: number; points: number }> {
    // Two statements rather than `? IS NULL OR ...`: PostgreSQL cannot type an untyped NULL parameter.
    const ofReward = rewardId === null ? '' : ' AND reward_id = ?';
    const r = await this.db.get(
      `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(points), 0) AS BIGINT) AS p FROM vouchers
       WHERE member_id = ? AND created_at >= ? AND status NOT IN ('cancelled', 'rejected')${ofReward}`,
      rewardId === null ? [memberId, since] : [memberId, since, rewardId],
    );
    return { count: Number(r?.n ?? 0), points: Number(r?.p ?? 0) };
  }

  async setPayCode(holdId: string, memberId: string, code: string, at: number): Promise<void> {
    await this.db.run('DELETE FROM pay_codes WHERE hold_id = ?', [holdId]);
    await this.db.run('INSERT INTO pay_codes (code, hold_id, member_id, created_at) VALUES (?, ?, ?, ?)', [
      code,
      holdId,
      memberId,
      at,
    ]);
  }

  async deletePayCodesBefore(before: number, limit: number): Promise<number> {
    return this.db.run(
      'DELETE FROM pay_codes WHERE code IN (SELECT code FROM pay_codes WHERE created_at < ? ORDER BY created_at LIMIT ?)',
      [before, limit],
    );
  }

  async holdOfPayCode(code: string): Promise<string | null> {
    const r = await this.db.get('SELECT hold_id FROM pay_codes WHERE code = ?', [code]);
    return r ? String(r.hold_id) : null;
  }

  async setHoldExpiry(holdId: string, expiresAt: number, at: number): Promise<void> {
    await this.db.run("UPDATE holds SET expires_at = ?, updated_at = ? WHERE id = ? AND status = 'open'", [
      expiresAt,
      at,
      holdId,
    ]);
  }

  async insertAudit(a: AuditRow): Promise<void> {
    await this.db.run('INSERT INTO audit_log (actor, action, subject, detail, created_at) VALUES (?, ?, ?, ?, ?)', [
      a.actor,
      a.action,
      a.subject,
      JSON.stringify(a.detail),
      a.createdAt,
    ]);
  }
}

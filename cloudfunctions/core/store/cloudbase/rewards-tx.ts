/** The rewards part of the Tx port over CloudBase documents (catalog, stock, vouchers, pay codes, audit). */
import type { Reward } from '../../domain/rewards.js';
import { UniqueViolation, type AuditRow, type VoucherRow } from '../port.js';
import { KEY_COLLECTIONS } from './collections.js';
import { docId } from './doc-ids.js';
import { CloudbaseLedgerTx } from './ledger-tx.js';
import { allDocs, rowOf, rowOrNull } from './scan.js';

const NOT_LIVE = ['cancelled', 'rejected'];

export class CloudbaseRewardsTx extends CloudbaseLedgerTx {
  async insertReward(r: Reward): Promise<void> {
    await this.insertRow('rewards', r.id, r);
  }

  async lockReward(id: string): Promise<Reward | null> {
    return rowOrNull<Reward>(await this.d.lock('rewards', docId(id)));
  }

  async getReward(id: string): Promise<Reward | null> {
    return rowOrNull<Reward>(await this.d.get('rewards', docId(id)));
  }

  async saveReward(r: Reward): Promise<void> {
    const doc = await this.d.get('rewards', docId(r.id));
    if (!doc) return;
    const { id: _id, version: _version, createdAt: _createdAt, ...fields } = r;
    this.d.put('rewards', docId(r.id), { ...doc, ...fields, version: Number(doc.version) + 1 });
  }

  async takeStock(rewardId: string): Promise<boolean> {
    const doc = await this.d.get('rewards', docId(rewardId));
    if (!doc) return false;
    // Unlimited stock is not written: popular rewards must not make redemptions conflict on their document.
    if (doc.stock === null) return true;
    if (Number(doc.stock) <= 0) return false;
    this.d.put('rewards', docId(rewardId), { ...doc, stock: Number(doc.stock) - 1 });
    return true;
  }

  async returnStock(rewardId: string): Promise<void> {
    const doc = await this.d.get('rewards', docId(rewardId));
    if (doc && doc.stock !== null) this.d.put('rewards', docId(rewardId), { ...doc, stock: Number(doc.stock) + 1 });
  }

  async insertVoucher(v: VoucherRow): Promise<void> {
    if (!(await this.d.create(KEY_COLLECTIONS.voucherCodes, docId(v.code), { ownerId: v.id }))) {
      throw new UniqueViolation(`vouchers.code ${v.code}`);
    }
    await this.insertRow('vouchers', v.id, v);
  }

  async lockVoucher(id: string): Promise<VoucherRow | null> {
    return rowOrNull<VoucherRow>(await this.d.lock('vouchers', docId(id)));
  }

  async lockVoucherByCode(code: string): Promise<VoucherRow | null> {
    const key = await this.d.get(KEY_COLLECTIONS.voucherCodes, docId(code));
    return key ? this.lockVoucher(String(key.ownerId)) : null;
  }

  async saveVoucher(v: VoucherRow): Promise<void> {
    const { status, holdId, eventId, usedAt, usedStoreId, updatedAt } = v;
    await this.merge('vouchers', docId(v.id), { status, holdId, eventId, usedAt, usedStoreId, updatedAt });
  }

  async redeemedSince(
    memberId: string,
    rewardId: string | null,
    since: number,
  ): Promise<{ count: number; points: number }> {
    const where = {
      memberId,
      createdAt: this.cmd.gte(since),
      status: this.cmd.nin(NOT_LIVE),
      ...(rewardId === null ? {} : { rewardId }),
    };
    const live = await this.d.query(
      'vouchers',
      where,
      (v) =>
        v.memberId === memberId &&
        Number(v.createdAt) >= since &&
        !NOT_LIVE.includes(String(v.status)) &&
        (rewardId === null || v.rewardId === rewardId),
    );
    return { count: live.length, points: live.reduce((sum, v) => sum + rowOf<VoucherRow>(v).points, 0) };
  }

  async setPayCode(holdId: string, memberId: string, code: string, at: number): Promise<void> {
    const hold = await this.d.get('holds', docId(holdId));
    if (!hold) throw new Error(`hold ${holdId} does not exist`);
    // The hold remembers its current code, so replacing it is by `_id` (a where() delete would run outside the transaction).
    if (typeof hold._payCode === 'string') this.d.put('pay_codes', docId(hold._payCode), null);
    if (!(await this.d.create('pay_codes', docId(code), { code, holdId, memberId, createdAt: at }))) {
      throw new UniqueViolation(`pay_codes.code ${code}`);
    }
    this.d.put('holds', docId(holdId), { ...hold, _payCode: code });
  }

  async deletePayCodesBefore(before: number, limit: number): Promise<number> {
    // Found outside the transaction (a where() is), deleted by `_id` inside it: old codes are never written again.
    const old = await allDocs(this.d.db.collection('pay_codes').where({ createdAt: this.cmd.lt(before) }), limit);
    for (const doc of old) this.d.put('pay_codes', doc._id, null);
    return old.length;
  }

  async holdOfPayCode(code: string): Promise<string | null> {
    const doc = await this.d.get('pay_codes', docId(code));
    return doc ? String(doc.holdId) : null;
  }

  async setHoldExpiry(holdId: string, expiresAt: number, at: number): Promise<void> {
    const hold = await this.d.get('holds', docId(holdId));
    if (hold?.status === 'open') this.d.put('holds', docId(holdId), { ...hold, expiresAt, updatedAt: at });
  }

  async insertAudit(a: AuditRow): Promise<void> {
    await this.appendRow('audit_log', a);
  }
}

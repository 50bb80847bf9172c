/**
 * Migration 6 on a database made before it: links that one claim made under
 * the old first-claim-wins rule become pending (one more claim re-links), and
 * every credited payment learns why it was credited.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE_SQL } from '../../cloudfunctions/core/store/sql/migrate.js';
import { migrations } from '../../cloudfunctions/core/store/sqlite/migrations.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';

describe('migration 6 (payer links) on SQLite', () => {
  it('demotes old links to pending with their one claim, and attributes old payments', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jifen-mig-')), 'jifen.db');
    const db = new Database(path);
    db.exec(MIGRATIONS_TABLE_SQL);
    for (const m of migrations.filter((m) => m.version <= 5)) {
      for (const sql of m.statements) db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(m.version, m.name);
    }
    const member = db.prepare('INSERT INTO members (id, openid, created_at) VALUES (?, ?, 0)');
    member.run('m_own', 'o-own');
    member.run('m_scan', 'o-scan');
    member.run('m_link', 'o-link');
    const pay = db.prepare(
      `INSERT INTO payments (id, channel, trade_no, out_trade_no, status, payer_kind, payer_id, member_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'paid', ?, ?, ?, 0, 0)`,
    );
    pay.run('wechatpay:W1', 'wechatpay', 'W1', 'O1', 'openid', 'o-own', 'm_own');
    pay.run('alipay:A1', 'alipay', 'A1', 'O2', 'alipay_buyer', '2088X', 'm_scan');
    pay.run('alipay:A2', 'alipay', 'A2', 'O3', 'alipay_buyer', '2088X', 'm_link');
    pay.run('alipay:A3', 'alipay', 'A3', 'O4', 'alipay_buyer', '2088Y', null);
    db.prepare(
      `INSERT INTO claim_tickets (id, channel, out_trade_no, created_by, expires_at, member_id, created_at)
       VALUES ('T1', 'alipay', 'O2', 'hq', 0, 'm_scan', 0)`,
    ).run();
    db.prepare(
      "INSERT INTO payer_links (payer_kind, payer_id, member_id, created_at) VALUES ('alipay_buyer', '2088X', 'm_scan', 7)",
    ).run();
    db.close();

    const store = await openStore(`sqlite:${path}`);
    try {
      const link = await store.transaction((tx) => tx.findPayerLink('alipay_buyer', '2088X'));
      expect(link).toMatchObject({ memberId: 'm_scan', status: 'pending', claims: 1, updatedAt: 7 });
      expect(link?.id).toMatch(/^pl_[0-9a-f]{16}$/);
      expect((await store.getPayment('wechatpay:W1'))?.attribution).toBe('payer');
      expect((await store.getPayment('alipay:A1'))?.attribution).toBe('ticket');
      expect((await store.getPayment('alipay:A2'))?.attribution).toBe('link');
      expect((await store.getPayment('alipay:A3'))?.attribution).toBeNull();
    } finally {
      await store.close();
    }
  });
});

/** Members' due lots seeded straight into SQLite, for the expiry bench and the expiry crash test. */
import Database from 'better-sqlite3';
import { shardFor } from '../../cloudfunctions/core/domain/accounts.js';

export interface DueLots {
  lotsPerMember: number;
  pointsPerLot: number;
  createdAt: number;
  /** The first lot's expiry; each next one a minute earlier. */
  expiresAt: number;
}

/**
 * Writes straight into a migrated SQLite file, for members that exist: one
 * credit event of lotsPerMember × pointsPerLot each, its two entries (the
 * member and the `issued` shard, balances kept), and the lots. A million
 * credits through the ledger would take minutes; this takes seconds and
 * leaves a ledger that verifies.
 */
export function seedDueLots(path: string, ids: string[], sizes: DueLots): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    const perMember = sizes.lotsPerMember * sizes.pointsPerLot;
    const event = db.prepare(
      `INSERT INTO events (source, external_id, kind, member_id, delta, balance_after, held_after, meta, created_at)
       VALUES ('bench-seed', ?, 'earn', ?, ?, ?, 0, '{}', ?) RETURNING id`,
    );
    const entry = db.prepare(
      'INSERT INTO entries (event_id, account_id, amount, balance_after, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const lot = db.prepare(
      'INSERT INTO lots (account_id, event_id, amount, remaining, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const setBalance = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance');
    db.transaction(() => {
      ids.forEach((id, i) => {
        const at = sizes.createdAt + (i % 1000);
        const { id: eventId } = event.get(id, id, perMember, perMember, at) as { id: number };
        entry.run(eventId, id, perMember, (setBalance.get(perMember, id) as { balance: number }).balance, at);
        const shard = shardFor('issued', id);
        entry.run(eventId, shard, -perMember, (setBalance.get(-perMember, shard) as { balance: number }).balance, at);
        for (let k = 0; k < sizes.lotsPerMember; k++) {
          lot.run(id, eventId, sizes.pointsPerLot, sizes.pointsPerLot, sizes.expiresAt - k * 60_000, at);
        }
      });
    })();
  } finally {
    db.close();
  }
}

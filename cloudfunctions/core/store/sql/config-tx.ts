/** The configuration and counters part of the Tx port (rules issue) over any SQL runner. */
import type { ConfigDoc, ConfigKind, ConfigVersion, MemberRow } from '../port.js';
import { SqlRewardsTx } from './rewards-tx.js';
import { toConfigDoc } from './rows.js';
import type { SqlRunner } from './runner.js';

/** A member's counters through any runner (a transaction's, or the store's reader); a missing one is 0. */
export async function readCounters(
  db: SqlRunner,
  memberId: string,
  keys: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  if (keys.length === 0) return out;
  const rows = await db.all(
    `SELECT key, value FROM counters WHERE member_id = ? AND key IN (${keys.map(() => '?').join(', ')})`,
    [memberId, ...keys],
  );
  for (const r of rows) out[String(r.key)] = Number(r.value);
  return out;
}

export class SqlConfigTx extends SqlRewardsTx {
  async claimNonce(scope: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    // An expired copy (older than any timestamp still accepted) is taken over, not refused.
    const changed = await this.db.run(
      `INSERT INTO nonces (scope, nonce, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE nonces.expires_at <= ?`,
      [scope, nonce, expiresAt, now],
    );
    return changed === 1;
  }

  async deleteNoncesBefore(before: number, limit: number): Promise<number> {
    return this.db.run(
      `DELETE FROM nonces WHERE (scope, nonce) IN
         (SELECT scope, nonce FROM nonces WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`,
      [before, limit],
    );
  }

  async setMemberTier(memberId: string, growth: number, tier: string, tierUntil: number | null): Promise<void> {
    await this.db.run('UPDATE members SET growth = ?, tier = ?, tier_until = ? WHERE id = ?', [
      growth,
      tier,
      tierUntil,
      memberId,
    ]);
  }

  async setMemberBirthday(memberId: string, birthday: MemberRow['birthday']): Promise<void> {
    await this.db.run('UPDATE members SET birthday = ?, birth_md = ? WHERE id = ?', [
      birthday ?? null,
      birthday ? birthday.slice(-5) : null,
      memberId,
    ]);
  }

  async setMemberReferrer(memberId: string, referrerId: string): Promise<void> {
    await this.db.run('UPDATE members SET referred_by = ? WHERE id = ?', [referrerId, memberId]);
  }

  async lockConfig(kind: ConfigKind, id: string): Promise<ConfigDoc | null> {
    const r = await this.db.get(`SELECT * FROM config_docs WHERE kind = ? AND id = ?${this.dialect.forUpdate}`, [
      kind,
      id,
    ]);
    return r ? toConfigDoc(r) : null;
  }

  async putConfig(d: ConfigDoc): Promise<void> {
    await this.db.run(
      `INSERT INTO config_docs (kind, id, version, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, body = excluded.body,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [d.kind, d.id, d.version, JSON.stringify(d.body), d.updatedBy, d.updatedAt],
    );
  }

  async insertConfigVersion(v: ConfigVersion): Promise<void> {
    await this.db.run(
      'INSERT INTO config_versions (kind, id, version, body, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [v.kind, v.id, v.version, JSON.stringify(v.body), v.actor, v.createdAt],
    );
  }

  async addCounters(memberId: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    const changes = Object.entries(deltas).filter(([, delta]) => delta !== 0);
    if (changes.length === 0) return;
    // One statement for all of them, sent without waiting: a round trip each would add up on every payment.
    await this.db.send(
      `INSERT INTO counters (member_id, key, value) VALUES ${changes.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT (member_id, key) DO UPDATE SET value = counters.value + excluded.value`,
      changes.flatMap(([key, delta]) => [memberId, key, delta]),
    );
  }

  counters(memberId: string, keys: readonly string[]): Promise<Record<string, number>> {
    return readCounters(this.db, memberId, keys);
  }
}

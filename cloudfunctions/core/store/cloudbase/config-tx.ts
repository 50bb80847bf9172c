/** The configuration and counters part of the Tx port over CloudBase documents (rules issue). */
import { UniqueViolation, type ConfigDoc, type ConfigKind, type ConfigVersion, type MemberRow } from '../port.js';
import type { Doc } from './db-api.js';
import { docId } from './doc-ids.js';
import { CloudbaseRewardsTx } from './rewards-tx.js';
import { allDocs } from './scan.js';

/** Bodies are stored as JSON text: a rule's keys are the operator's, and a document store restricts field names. */
export const configOf = <T extends ConfigDoc | ConfigVersion>(doc: Doc): T => {
  const { _id, _lock, ...rest } = doc;
  void _id;
  void _lock;
  return { ...rest, body: JSON.parse(String(doc.body)) } as unknown as T;
};

export class CloudbaseConfigTx extends CloudbaseRewardsTx {
  async claimNonce(scope: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    const id = docId(scope, nonce);
    const held = await this.d.lock('nonces', id);
    if (held && Number(held.expiresAt) > now) return false;
    this.d.put('nonces', id, { scope, nonce, expiresAt, _lock: Number(held?._lock ?? 0) + 1 });
    return true;
  }

  async deleteNoncesBefore(before: number, limit: number): Promise<number> {
    // Found outside the transaction (a where() is), deleted by `_id` inside it: an expired nonce is never claimed again
    // except by taking it over, which a delete then only makes a fresh claim of.
    const old = await allDocs(this.d.db.collection('nonces').where({ expiresAt: this.cmd.lt(before) }), limit);
    for (const doc of old) this.d.put('nonces', doc._id, null);
    return old.length;
  }

  async setMemberTier(memberId: string, growth: number, tier: string, tierUntil: number | null): Promise<void> {
    await this.merge('members', docId(memberId), { growth, tier, tierUntil });
  }

  async setMemberBirthday(memberId: string, birthday: MemberRow['birthday']): Promise<void> {
    await this.merge('members', docId(memberId), {
      birthday: birthday ?? null,
      birthMd: birthday ? birthday.slice(-5) : null,
    });
  }

  async setMemberReferrer(memberId: string, referrerId: string): Promise<void> {
    await this.merge('members', docId(memberId), { referredBy: referrerId });
  }

  async lockConfig(kind: ConfigKind, id: string): Promise<ConfigDoc | null> {
    const doc = await this.d.lock('config_docs', docId(kind, id));
    return doc ? configOf<ConfigDoc>(doc) : null;
  }

  async putConfig(d: ConfigDoc): Promise<void> {
    const held = await this.d.get('config_docs', docId(d.kind, d.id));
    this.d.put('config_docs', docId(d.kind, d.id), {
      ...d,
      body: JSON.stringify(d.body),
      _lock: Number(held?._lock ?? 0) + 1,
    });
  }

  async insertConfigVersion(v: ConfigVersion): Promise<void> {
    const created = await this.d.create('config_versions', docId(v.kind, v.id, v.version), {
      ...v,
      body: JSON.stringify(v.body),
    });
    if (!created) throw new UniqueViolation(`config_versions ${v.kind}/${v.id}@${v.version}`);
  }

  async addCounters(memberId: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    for (const [key, delta] of Object.entries(deltas)) {
      if (delta === 0) continue;
      const id = docId(memberId, key);
      const doc = await this.d.get('counters', id);
      this.d.put('counters', id, { memberId, key, value: Number(doc?.value ?? 0) + delta });
    }
  }

  async counters(memberId: string, keys: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const key of keys) out[key] = Number((await this.d.get('counters', docId(memberId, key)))?.value ?? 0);
    return out;
  }
}

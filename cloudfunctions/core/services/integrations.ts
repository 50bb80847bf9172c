/**
 * Open API keys for POS, ERP and CRM systems (DESIGN "Open API v1"). HQ
 * makes one per system, optionally limited to stores; its secret is shown
 * once and kept sealed (sealing.ts), because checking an HMAC needs the
 * secret itself, not a hash of it. Keys are configuration documents (kind
 * `integration`), every change audited; a revoked key stops at once.
 *
 * `verify` is the whole check of a signed request, in the order that gives
 * an attacker nothing: unknown key or bad signature (the same answer), then
 * the time window, then the nonce — recorded only for a request whose
 * signature is right, so nobody can burn another client's nonces.
 */
import { randomBytes } from 'node:crypto';
import { DomainError, errors } from '../domain/errors.js';
import { SIGNATURE_WINDOW_S, signatureMatches, type SignedParts } from '../open/signature.js';
import type { Store } from '../store/port.js';
import { configDoc, plainDoc } from './config-docs.js';
import { deriveKey, seal, unseal } from './sealing.js';

export interface Integration {
  keyId: string;
  name: string;
  /** null: every store. */
  storeIds: string[] | null;
  status: 'active' | 'revoked';
  createdAt: number;
}
interface IntegrationDoc extends Integration {
  secret: string;
}

const signatureInvalid = () =>
  new DomainError(
    'SIGNATURE_INVALID',
    'The key or the signature is not right: check the key id and how you sign.',
    401,
  );

export class Integrations {
  private readonly sealKey: Buffer;

  constructor(private readonly deps: { store: Store; clock: () => number; secret: string }) {
    this.sealKey = deriveKey(deps.secret, 'integration-secret/v1');
  }

  async create(actor: string, input: { name: string; storeIds?: string[] }): Promise<Integration & { secret: string }> {
    const now = this.deps.clock();
    const storeIds = input.storeIds?.length ? [...new Set(input.storeIds)] : null;
    const secret = `jfk_${randomBytes(32).toString('base64url')}`;
    const key: Integration = {
      keyId: `ak_${randomBytes(9).toString('base64url')}`,
      name: input.name,
      storeIds,
      status: 'active',
      createdAt: now,
    };
    await this.deps.store.transaction(async (tx) => {
      for (const id of storeIds ?? []) if (!(await tx.getStore(id))) throw errors.notFound(`Store ${id}`);
      const doc: IntegrationDoc = { ...key, secret: seal(this.sealKey, secret) };
      await tx.putConfig(plainDoc('integration', key.keyId, doc, actor, now));
      await tx.insertAudit({
        actor,
        action: 'integration.create',
        subject: key.keyId,
        detail: { after: key },
        createdAt: now,
      });
    });
    return { ...key, secret };
  }

  async list(): Promise<Integration[]> {
    const docs = await this.deps.store.configDocs('integration');
    return docs.map((d) => view(d.body as unknown as IntegrationDoc)).sort((a, b) => b.createdAt - a.createdAt);
  }

  async revoke(actor: string, keyId: string): Promise<Integration> {
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('integration', keyId);
      if (!held) throw errors.notFound('Integration key');
      const before = held.body as unknown as IntegrationDoc;
      const after: IntegrationDoc = { ...before, status: 'revoked' };
      await tx.putConfig(plainDoc('integration', keyId, after, actor, now));
      await tx.insertAudit({
        actor,
        action: 'integration.revoke',
        subject: keyId,
        detail: { before: { status: before.status }, after: { status: 'revoked' } },
        createdAt: now,
      });
      return view(after);
    });
  }

  /** The key a correctly signed, fresh, first-seen request was made with; throws the refusal otherwise. */
  async verify(keyId: string, parts: SignedParts, signature: string): Promise<Integration> {
    const doc = (await configDoc(this.deps.store, 'integration', keyId))?.body as IntegrationDoc | undefined;
    if (!doc || doc.status !== 'active' || !signatureMatches(unseal(this.sealKey, doc.secret), parts, signature)) {
      throw signatureInvalid();
    }
    const now = this.deps.clock();
    const at = Number(parts.timestamp);
    if (!/^\d{1,12}$/.test(parts.timestamp) || Math.abs(now / 1000 - at) > SIGNATURE_WINDOW_S) {
      throw new DomainError(
        'TIMESTAMP_OUT_OF_WINDOW',
        `X-Jifen-Timestamp must be Unix seconds within ${SIGNATURE_WINDOW_S} s of now (${Math.floor(now / 1000)}).`,
        401,
      );
    }
    // Kept until the timestamp could no longer be accepted, so a replay inside the window is always seen.
    const until = (at + SIGNATURE_WINDOW_S) * 1000 + 1;
    const fresh = await this.deps.store.transaction((tx) => tx.claimNonce(keyId, parts.nonce, until, now));
    if (!fresh) throw new DomainError('NONCE_REUSED', 'This nonce was used already: make a new one per request.', 401);
    return view(doc);
  }

  /** The cron job: forgets nonces whose window has passed. */
  pruneNonces(limit: number): Promise<number> {
    const now = this.deps.clock();
    return this.deps.store.transaction((tx) => tx.deleteNoncesBefore(now, limit));
  }
}

const view = ({ secret: _sealed, ...key }: IntegrationDoc): Integration => key;

/** A store-limited key acts on its own stores only; `HQ` (no store) is for unlimited keys. */
export function assertKeyStore(key: Integration, storeId: string | null): void {
  if (key.storeIds && (storeId === null || !key.storeIds.includes(storeId))) {
    throw errors.forbidden(`This key is limited to ${key.storeIds.join(', ')}.`);
  }
}

/**
 * The one way a singleton piece of configuration (the tier ladder, the
 * holiday calendar, the expiry policy, the activity bonuses) is read and
 * saved: read through a short cache, saved with its next version kept and
 * an audit row with before and after, all in one transaction.
 */
import type { ConfigDoc, ConfigKind, Store } from '../store/port.js';

/** One configuration document by id: a range read of that id alone, not a scan of its kind. */
export async function configDoc(store: Store, kind: ConfigKind, id: string): Promise<ConfigDoc | null> {
  return (await store.configDocs(kind, { from: id, to: id }))[0] ?? null;
}

/** How long a read configuration is trusted; a change made here drops it at once. */
export const CONFIG_TTL_MS = 5_000;

export class SingletonConfig<T> {
  private cache: { at: number; value: T } | null = null;

  constructor(
    private readonly deps: { store: Store; clock: () => number },
    private readonly kind: ConfigKind,
    private readonly id: string,
    /** What applies until an operator saves a value. */
    private readonly fallback: T,
  ) {}

  async get(): Promise<T> {
    const now = this.deps.clock();
    if (this.cache && now >= this.cache.at && now - this.cache.at < CONFIG_TTL_MS) return this.cache.value;
    const doc = await configDoc(this.deps.store, this.kind, this.id);
    const value = doc ? (doc.body as unknown as T) : this.fallback;
    this.cache = { at: now, value };
    return value;
  }

  async save(actor: string, value: T): Promise<T> {
    const now = this.deps.clock();
    const { kind, id } = this;
    await this.deps.store.transaction(async (tx) => {
      const before = await tx.lockConfig(kind, id);
      const version = (before?.version ?? 0) + 1;
      const body = value as unknown as Record<string, unknown>;
      await tx.putConfig({ kind, id, version, body, updatedBy: actor, updatedAt: now });
      await tx.insertConfigVersion({ kind, id, version, body, actor, createdAt: now });
      await tx.insertAudit({
        actor,
        action: `${kind}.update`,
        subject: id,
        detail: { before: before?.body ?? this.fallback, after: value },
        createdAt: now,
      });
    });
    this.cache = { at: now, value };
    return value;
  }
}

/**
 * A configuration document kept without a version history (operators,
 * batches): written in place, version 1 forever.
 */
export const plainDoc = (kind: ConfigKind, id: string, body: object, actor: string, at: number): ConfigDoc => ({
  kind,
  id,
  version: 1,
  body: body as Record<string, unknown>,
  updatedBy: actor,
  updatedAt: at,
});

/**
 * An in-memory stand-in for a CloudBase database: exactly the calls in
 * db-api.ts, with the semantics the adapter relies on, so the contract suite
 * and the function bundles can run without a cloud environment.
 *
 * What it models: collections that must exist before use; `_id` unique per
 * collection; `set` (replace or create) vs `update` (merge into an existing
 * document); where() with the operators db-api.ts declares, orderBy, skip and
 * the server's 1000-document cap; transactions with snapshot isolation (a
 * transaction reads the database as of its start, plus its own writes) and
 * optimistic conflict detection at commit: if a document it wrote was written
 * by anyone else after its snapshot, commit fails with
 * DATABASE_TRANSACTION_CONFLICT and nothing is applied. Reads never conflict,
 * as in MongoDB: a transaction that must keep a document from changing writes it.
 * Documents are deep-copied in and out, so no caller can alias stored state.
 *
 * Network latency is modelled only as a fixed delay per call (`latencyMs`,
 * 0 by default), enough to let racing transactions overlap as they would.
 * An outage is modelled by `unreachable` (every call fails with a network
 * error code). What it does not model: the transaction time
 * limit, indexes (every query scans), security rules, document size limits,
 * and MongoDB's eager write conflicts (a real second writer may fail at its
 * write rather than at commit; either way it is aborted and retried).
 */
import { CloudbaseError, CONFLICT_CODE, type CloudbaseDb, type DbCollection } from './db-api.js';
import type { DbTransaction, Doc, SdkResult } from './db-api.js';
import { DEFAULT_LIMIT, MemoryQuery } from './memory-collection.js';
import { memoryCommand } from './memory-query.js';
import { copy, fail } from './memory-rules.js';
import { MemoryTransaction } from './memory-tx.js';

interface Version {
  seq: number;
  doc: Doc | null;
}

export class MemoryDb implements CloudbaseDb {
  readonly command = memoryCommand;
  /** A round trip's delay on every call. */
  latencyMs = 0;
  /**
   * While set, every call fails as a lost network does, with this Node error
   * code (ECONNRESET, ETIMEDOUT, ...): an outage, for the tests that the
   * server answers 503 through it and serves again after it.
   */
  unreachable: string | null = null;
  private readonly collections = new Map<string, Map<string, Version[]>>();
  private seq = 0;
  /** Snapshots of the transactions still open: versions they may read are kept. */
  private readonly open = new Map<MemoryTransaction, number>();

  async createCollection(name: string): Promise<SdkResult> {
    if (this.collections.has(name)) return fail('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} exists`);
    this.collections.set(name, new Map());
    return { requestId: 'memory' };
  }

  collection(name: string): DbCollection {
    return new MemoryQuery(this, name, {}, [], 0, DEFAULT_LIMIT);
  }

  /** One call's round trip. */
  async trip(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.unreachable)
      throw Object.assign(new Error(`request failed: ${this.unreachable}`), { code: this.unreachable });
  }

  async startTransaction(): Promise<DbTransaction> {
    await this.trip();
    const tx = new MemoryTransaction(this, this.seq);
    this.open.set(tx, tx.snapshot);
    return tx;
  }

  /** The collection's documents, or the SDK's error when it was never created. */
  docs(name: string): Map<string, Version[]> {
    const c = this.collections.get(name);
    if (!c) throw new CloudbaseError('DATABASE_COLLECTION_NOT_EXIST', `collection ${name} does not exist`);
    return c;
  }

  /** The document as a reader at `snapshot` sees it (Infinity: the latest committed). */
  read(name: string, id: string, snapshot = Infinity): Doc | null {
    const versions = this.docs(name).get(id) ?? [];
    for (let i = versions.length - 1; i >= 0; i--) {
      if (versions[i]!.seq <= snapshot) return copy(versions[i]!.doc);
    }
    return null;
  }

  latestDocs(name: string): Doc[] {
    const out: Doc[] = [];
    for (const versions of this.docs(name).values()) {
      const doc = versions[versions.length - 1]!.doc;
      if (doc) out.push(copy(doc));
    }
    return out;
  }

  /** Applies writes atomically, or refuses all of them if any document changed after `snapshot`. */
  apply(writes: ReadonlyArray<{ name: string; id: string; doc: Doc | null }>, snapshot = Infinity): void {
    for (const w of writes) {
      const versions = this.docs(w.name).get(w.id);
      if (versions && versions[versions.length - 1]!.seq > snapshot) {
        throw new CloudbaseError(CONFLICT_CODE, `transaction conflict on ${w.name}/${w.id}`, 'memory');
      }
    }
    const seq = ++this.seq;
    for (const w of writes) {
      const docs = this.docs(w.name);
      docs.set(w.id, [...(docs.get(w.id) ?? []), { seq, doc: copy(w.doc) }]);
    }
    for (const w of writes) this.prune(w.name, w.id);
  }

  end(tx: MemoryTransaction): void {
    this.open.delete(tx);
  }

  /** Drops versions no open transaction can read any more. */
  private prune(name: string, id: string): void {
    const oldest = Math.min(...this.open.values());
    const docs = this.docs(name);
    const versions = docs.get(id)!;
    let keepFrom = versions.length - 1;
    while (keepFrom > 0 && versions[keepFrom]!.seq > oldest) keepFrom--;
    const kept = versions.slice(keepFrom);
    if (kept.length === 1 && kept[0]!.doc === null) docs.delete(id);
    else docs.set(id, kept);
  }
}

/**
 * Kept on globalThis: a function bundle carries its own copy of this module,
 * and a test that seeds `cloudbase-memory://x` must reach the same database
 * the bundle opens by that name.
 */
const REGISTRY = Symbol.for('jifen.cloudbase.memory-databases');
const named: Map<string, MemoryDb> =
  ((globalThis as Record<symbol, unknown>)[REGISTRY] as Map<string, MemoryDb>) ??
  ((globalThis as Record<symbol, unknown>)[REGISTRY] = new Map<string, MemoryDb>());

/** One stand-in database per name in this process, like a CloudBase environment id. */
export function memoryDatabase(name: string): MemoryDb {
  let db = named.get(name);
  if (!db) {
    db = new MemoryDb();
    named.set(name, db);
  }
  return db;
}

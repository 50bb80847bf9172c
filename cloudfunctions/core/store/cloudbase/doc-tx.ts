/**
 * One CloudBase transaction's working set. Documents are read by `_id`
 * inside the transaction (the only transactional reads CloudBase has),
 * changed here, and written once each at the end (flush), so a posting that
 * touches an account four times costs one write, not four.
 *
 * Snapshot isolation: reads never conflict, only writes do. So a document
 * that must not change under us until commit (SQL's SELECT ... FOR UPDATE)
 * is locked by writing it: lock() bumps its `_lock` field, and a concurrent
 * transaction that writes it too aborts at commit (the caller retries).
 */
import { checked, CloudbaseError, CONFLICT_CODE, type CloudbaseDb, type DbTransaction, type Doc } from './db-api.js';
import type { DocData, Where } from './db-api.js';
import { allDocs } from './scan.js';
import { complete, TX_QUERY_DOCS_MAX } from '../limits.js';

interface Held {
  name: string;
  id: string;
  doc: Doc | null;
  dirty: boolean;
}

export class DocTx {
  private readonly held = new Map<string, Held>();

  constructor(
    readonly db: CloudbaseDb,
    private readonly tx: DbTransaction,
  ) {}

  /** The document as this transaction sees it (its snapshot plus its own writes); a copy to change and put back. */
  async get(name: string, id: string): Promise<Doc | null> {
    const key = `${name}\u0000${id}`;
    let h = this.held.get(key);
    if (!h) {
      const doc = checked(await this.tx.collection(name).doc(id).get()).data ?? null;
      h = { name, id, doc, dirty: false };
      this.held.set(key, h);
    }
    return h.doc ? structuredClone(h.doc) : null;
  }

  /** Replaces (or with null deletes) the document at commit. */
  put(name: string, id: string, data: DocData | null): void {
    const doc = data ? ({ ...structuredClone(data), _id: id } as Doc) : null;
    this.held.set(`${name}\u0000${id}`, { name, id, doc, dirty: true });
  }

  /** Creates the document unless one with this `_id` exists: the only uniqueness a document store enforces. */
  async create(name: string, id: string, data: DocData): Promise<boolean> {
    if (await this.get(name, id)) return false;
    this.put(name, id, data);
    return true;
  }

  /** Reads the document and writes it back changed, so concurrent writers of it conflict (see above). */
  async lock(name: string, id: string): Promise<Doc | null> {
    const doc = await this.get(name, id);
    if (doc) this.put(name, id, { ...doc, _lock: (Number(doc._lock) || 0) + 1 });
    return doc;
  }

  /**
   * Locks a document a query found outside the transaction. If the
   * transaction's snapshot does not have it yet, the snapshot is older than
   * the query's answer: retry with a fresh one.
   */
  async lockFound(name: string, found: Doc): Promise<Doc> {
    const doc = await this.lock(name, found._id);
    if (!doc) throw new CloudbaseError(CONFLICT_CODE, `${name}/${found._id} is newer than this transaction`);
    return doc;
  }

  /**
   * A where() query. CloudBase runs queries outside the transaction, on
   * committed data, so this overlays what the transaction itself read and
   * wrote, and `keep` re-applies the condition to that. Callers only query
   * what a document they have locked guards (a member's lots under the
   * member's account, an order's tickets under the order lock): a concurrent
   * change to the answer then also wrote that document, and one of the two
   * transactions aborts.
   */
  async query(name: string, where: Where, keep: (doc: Doc) => boolean): Promise<Doc[]> {
    const found = new Map<string, Doc>();
    const matched = await allDocs(this.db.collection(name).where(where), TX_QUERY_DOCS_MAX + 1);
    for (const doc of complete(matched, TX_QUERY_DOCS_MAX, `${name} matching a transaction's query`)) {
      found.set(doc._id, doc);
    }
    for (const h of this.held.values()) {
      if (h.name !== name) continue;
      if (h.doc) found.set(h.id, structuredClone(h.doc));
      else found.delete(h.id);
    }
    return [...found.values()].filter(keep);
  }

  /** Writes every changed document into the transaction; commit follows. */
  async flush(): Promise<void> {
    for (const h of this.held.values()) {
      if (!h.dirty) continue;
      const ref = this.tx.collection(h.name).doc(h.id);
      if (h.doc) {
        const { _id, ...data } = h.doc;
        checked(await ref.set(data));
      } else {
        checked(await ref.delete());
      }
    }
  }
}

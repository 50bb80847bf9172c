/**
 * A stand-in transaction: reads see the snapshot it started with plus its own
 * writes, which stay private until commit applies them all or none (memory-db.ts).
 */
import { CloudbaseError, type DbTransaction, type Doc, type SdkResult, type TxDocRef } from './db-api.js';
import type { MemoryDb } from './memory-db.js';
import { copy, refuseId } from './memory-rules.js';

export class MemoryTransaction implements DbTransaction {
  private readonly writes = new Map<string, { name: string; id: string; doc: Doc | null }>();
  private ended = false;

  constructor(
    private readonly db: MemoryDb,
    readonly snapshot: number,
  ) {}

  private visible(name: string, id: string): Doc | null {
    const own = this.writes.get(`${name}\u0000${id}`);
    return own ? copy(own.doc) : this.db.read(name, id, this.snapshot);
  }

  private write(name: string, id: string, doc: Doc | null): void {
    this.db.docs(name); // the collection must exist
    this.writes.set(`${name}\u0000${id}`, { name, id, doc: copy(doc) });
  }

  private live(): void {
    if (this.ended) throw new CloudbaseError('INVALID_PARAM', 'the transaction has ended');
  }

  collection(name: string): { doc(id: string): TxDocRef } {
    return {
      doc: (id: string): TxDocRef => ({
        get: async () => {
          await this.db.trip();
          this.live();
          return { data: this.visible(name, id), requestId: 'memory' };
        },
        set: async (data) => {
          await this.db.trip();
          this.live();
          refuseId(data);
          this.write(name, id, { ...copy(data), _id: id });
          return { updated: 1, requestId: 'memory' };
        },
        update: async (data) => {
          await this.db.trip();
          this.live();
          refuseId(data);
          const current = this.visible(name, id);
          if (current) this.write(name, id, { ...current, ...copy(data), _id: id });
          return { updated: current ? 1 : 0, requestId: 'memory' };
        },
        delete: async () => {
          await this.db.trip();
          this.live();
          const current = this.visible(name, id);
          if (current) this.write(name, id, null);
          return { deleted: current ? 1 : 0, requestId: 'memory' };
        },
      }),
    };
  }

  async commit(): Promise<SdkResult> {
    await this.db.trip();
    this.live();
    this.ended = true;
    try {
      this.db.apply([...this.writes.values()], this.snapshot);
    } finally {
      this.db.end(this);
    }
    return { requestId: 'memory' };
  }

  async rollback(): Promise<SdkResult> {
    if (!this.ended) {
      this.ended = true;
      this.db.end(this);
    }
    return { requestId: 'memory' };
  }
}

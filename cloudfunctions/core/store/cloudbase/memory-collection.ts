/** The stand-in's collections outside transactions: where() queries and documents read and written one call at a time. */
import type { DbCollection, DbDocRef, DbQuery, Doc, SdkResult, Where } from './db-api.js';
import type { MemoryDb } from './memory-db.js';
import { matches, sortDocs, type Order } from './memory-query.js';
import { copy, guarded, refuseId } from './memory-rules.js';

const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export class MemoryQuery implements DbCollection {
  constructor(
    private readonly db: MemoryDb,
    private readonly name: string,
    private readonly condition: Where,
    private readonly orders: readonly Order[],
    private readonly offset: number,
    private readonly max: number,
  ) {}

  where(condition: Where): DbQuery {
    return new MemoryQuery(this.db, this.name, { ...condition }, this.orders, this.offset, this.max);
  }
  orderBy(field: string, direction: 'asc' | 'desc'): DbQuery {
    return new MemoryQuery(
      this.db,
      this.name,
      this.condition,
      [...this.orders, { field, direction }],
      this.offset,
      this.max,
    );
  }
  limit(n: number): DbQuery {
    return new MemoryQuery(this.db, this.name, this.condition, this.orders, this.offset, Math.min(n, MAX_LIMIT));
  }
  skip(n: number): DbQuery {
    return new MemoryQuery(this.db, this.name, this.condition, this.orders, n, this.max);
  }

  private matching(): Doc[] {
    return this.db.latestDocs(this.name).filter((d) => matches(d, this.condition));
  }

  async get(): Promise<SdkResult & { data?: Doc[] }> {
    await this.db.trip();
    return guarded(() => ({
      data: sortDocs(this.matching(), this.orders).slice(this.offset, this.offset + this.max),
      requestId: 'memory',
    }));
  }

  async count(): Promise<SdkResult & { total?: number }> {
    await this.db.trip();
    return guarded(() => ({ total: this.matching().length, requestId: 'memory' }));
  }

  doc(id: string): DbDocRef {
    const { db, name } = this;
    const write = (doc: Doc | null) => db.apply([{ name, id, doc }]);
    const call = async <T extends object>(fn: () => T) => {
      await db.trip();
      return guarded(fn);
    };
    return {
      get: () => call(() => ({ data: [db.read(name, id)].filter((d): d is Doc => d !== null) })),
      set: (data) =>
        call(() => {
          refuseId(data);
          write({ ...copy(data), _id: id });
          return { updated: 1 };
        }),
      update: (data) =>
        call(() => {
          refuseId(data);
          const current = db.read(name, id);
          if (current) write({ ...current, ...copy(data), _id: id });
          return { updated: current ? 1 : 0 };
        }),
      remove: () =>
        call(() => {
          const current = db.read(name, id);
          if (current) write(null);
          return { deleted: current ? 1 : 0 };
        }),
    };
  }
}

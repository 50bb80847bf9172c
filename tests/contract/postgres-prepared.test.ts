/**
 * PostgreSQL runs our statements as named prepared statements (parsed and
 * planned once per connection; store/postgres/store.ts). A prepared
 * `SELECT *` breaks when another server migrates its table (a new column:
 * "cached plan must not change result type", 0A000). Must show: the server
 * that prepared them keeps answering, reads and transactions alike, across
 * every pooled connection. JIFEN_PG_PREPARE=off (a pooler in transaction
 * mode in between) sends every statement unnamed. And migration 12 accepts
 * its index built ahead of the upgrade.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { createDatabase } from '../support/postgres.js';
import { ledgerFixture } from '../support/ledger-fixture.js';

const pgUrl = inject('pgUrl');

describe.skipIf(!pgUrl)('PostgreSQL prepared statements', () => {
  let url: string;
  let store: Store;
  beforeAll(async () => {
    url = await createDatabase(pgUrl, 'jifen_prepared');
    store = await openStore(url);
  });
  afterAll(() => store?.close());

  it('survive another server adding a column to a table they select * from: reads and transactions still answer', async () => {
    const f = ledgerFixture(store);
    // More at once than either pool holds (8 for transactions, 4 for reads): every connection prepares the statements.
    const ids = await Promise.all(Array.from({ length: 12 }, () => f.member()));
    const read = (id: string) => store.getMember(id);
    const lock = (id: string) =>
      store.transaction(async (tx) => {
        await tx.lockAccount(id);
        return tx.getMember(id);
      });
    expect((await Promise.all(ids.map(read))).map((m) => m?.id)).toEqual(ids);
    expect((await Promise.all(ids.map(lock))).map((m) => m?.id)).toEqual(ids);

    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('ALTER TABLE members ADD COLUMN added_by_a_later_release TEXT');
    } finally {
      await other.end();
    }

    // One at a time, as a quiet hour's lone requests come: each meets whatever stale connection the pool hands out.
    for (const id of ids) {
      expect((await lock(id))?.id).toBe(id);
      expect((await read(id))?.id).toBe(id);
    }
    expect((await Promise.all(ids.map(lock))).map((m) => m?.id)).toEqual(ids);
  });

  it('migration 12 finds its index already built (CREATE INDEX CONCURRENTLY ahead of a large upgrade) and goes on', async () => {
    const early = await createDatabase(pgUrl, 'jifen_index_ahead');
    await (await openStore(early)).close();
    const other = new pg.Client({ connectionString: early });
    await other.connect();
    try {
      // As if this database were still at migration 11, with the operator's index built ahead of the upgrade.
      await other.query('DROP INDEX events_member_time');
      await other.query('DELETE FROM schema_migrations WHERE version = 12');
      await other.query('CREATE INDEX CONCURRENTLY events_member_time ON events (member_id, created_at)');
      const upgraded = await openStore(early);
      await upgraded.close();
      const applied = await other.query('SELECT name FROM schema_migrations WHERE version = 12');
      expect(applied.rows).toEqual([{ name: 'member-recent-events' }]);
    } finally {
      await other.end();
    }
  });

  it('JIFEN_PG_PREPARE=off sends every statement unnamed; by default row statements are named', async () => {
    const original = pg.Client.prototype.query;
    const names: Array<string | undefined> = [];
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const q = args[0];
      if (q && typeof q === 'object' && 'text' in q) names.push((q as { name?: string }).name);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original);
    const work = async (s: Store) => {
      const m = await ledgerFixture(s).member();
      await s.getMember(m);
      await s.transaction((tx) => tx.lockAccount(m));
    };
    try {
      process.env.JIFEN_PG_PREPARE = 'off';
      const plain = await openStore(await createDatabase(pgUrl, 'jifen_unprepared'));
      delete process.env.JIFEN_PG_PREPARE;
      names.length = 0;
      await work(plain);
      await plain.close();
      expect(names.length).toBeGreaterThan(3);
      expect(names.filter(Boolean)).toEqual([]);

      names.length = 0;
      await work(store);
      expect(names.filter(Boolean).length).toBe(names.length);
    } finally {
      delete process.env.JIFEN_PG_PREPARE;
      spy.mockRestore();
    }
  });
});

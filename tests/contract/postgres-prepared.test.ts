/**
 * PostgreSQL runs our statements as named prepared statements (parsed and
 * planned once per connection; store/postgres/store.ts). A prepared
 * `SELECT *` breaks when another server migrates its table (a new column:
 * "cached plan must not change result type", 0A000). Must show: the server
 * that prepared them keeps answering, reads and transactions alike, across
 * every pooled connection. JIFEN_PG_PREPARE=off (a pooler in transaction
 * mode in between) sends every statement unnamed.
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
    const ids = await Promise.all(Array.from({ length: 6 }, () => f.member()));
    // Prepare `SELECT * FROM members …` on every connection of both pools: more at once than either pool holds.
    const readAll = () => Promise.all(ids.map((id) => store.getMember(id)));
    const lockAll = () =>
      Promise.all(
        ids.map((id) =>
          store.transaction(async (tx) => {
            await tx.lockAccount(id);
            return tx.getMember(id);
          }),
        ),
      );
    expect((await readAll()).map((m) => m?.id)).toEqual(ids);
    expect((await lockAll()).map((m) => m?.id)).toEqual(ids);

    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('ALTER TABLE members ADD COLUMN added_by_a_later_release TEXT');
    } finally {
      await other.end();
    }

    expect((await readAll()).map((m) => m?.id)).toEqual(ids);
    expect((await lockAll()).map((m) => m?.id)).toEqual(ids);
    expect((await readAll()).map((m) => m?.id)).toEqual(ids);
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

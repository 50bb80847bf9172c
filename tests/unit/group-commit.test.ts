/**
 * Group commit on SQLite (store/sqlite/group-commit.ts): transactions that
 * arrive together share one COMMIT, each in its own savepoint; one that
 * fails fails alone; a COMMIT that fails fails them all, retryably; nothing
 * is answered before the COMMIT.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../cloudfunctions/core/store/sqlite/group-commit.js';
import { SqliteStore } from '../../cloudfunctions/core/store/sqlite/store.js';
import { grant, ledgerFixture } from '../support/ledger-fixture.js';

function freshDb() {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'jifen-group-')), 'g.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id))');
  db.exec('INSERT INTO parent (id) VALUES (1)');
  return db;
}
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, code: (error as { code?: string }).code ?? String(error) }),
  );
const rows = (db: Database.Database) =>
  (db.prepare('SELECT id FROM t ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);

describe('GroupCommitter', () => {
  it('transactions that arrive together share one COMMIT; one breaking a constraint fails alone', async () => {
    const db = freshDb();
    const g = new GroupCommitter(db);
    const insert = (id: number) => () =>
      Promise.resolve(db.prepare('INSERT INTO t (id, parent) VALUES (?, 1)').run(id).changes);
    const outcomes = await Promise.all([
      settle(g.submit(insert(1))),
      settle(g.submit(insert(2))),
      settle(g.submit(insert(2))), // the same primary key again: a constraint it breaks
      settle(g.submit(insert(3))),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(outcomes[2]).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(rows(db)).toEqual([1, 2, 3]);
    expect(g.stats).toEqual({ groups: 1, items: 4 });
  });

  it('other work on the event loop runs between two items of one group, and they still share the COMMIT', async () => {
    const db = freshDb();
    const g = new GroupCommitter(db);
    const order: string[] = [];
    const item = (id: number) => async () => {
      order.push(`item ${id}`);
      // What a member's read would be: I/O that became ready while this payment was being written.
      if (id === 1) setImmediate(() => order.push('read'));
      return db.prepare('INSERT INTO t (id, parent) VALUES (?, 1)').run(id).changes;
    };
    await Promise.all([g.submit(item(1)), g.submit(item(2)), g.submit(item(3))]);
    expect(order).toEqual(['item 1', 'read', 'item 2', 'item 3']);
    expect(g.stats).toEqual({ groups: 1, items: 3 });
    expect(rows(db)).toEqual([1, 2, 3]);
  });

  it('a COMMIT that fails fails every transaction of the group, retryably, and writes nothing', async () => {
    const db = freshDb();
    const g = new GroupCommitter(db);
    const outcomes = await Promise.all([
      settle(g.submit(async () => db.prepare('INSERT INTO t (id, parent) VALUES (10, 1)').run())),
      // Foreign keys checked at COMMIT, and an orphan: the COMMIT itself fails.
      settle(
        g.submit(async () => {
          db.pragma('defer_foreign_keys = ON');
          return db.prepare('INSERT INTO t (id, parent) VALUES (11, 999)').run();
        }),
      ),
      settle(g.submit(async () => db.prepare('INSERT INTO t (id, parent) VALUES (12, 1)').run())),
    ]);
    expect(outcomes).toEqual([
      { ok: false, code: 'STORE_UNAVAILABLE' },
      { ok: false, code: 'STORE_UNAVAILABLE' },
      { ok: false, code: 'STORE_UNAVAILABLE' },
    ]);
    expect(rows(db)).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // And the next group works.
    await g.submit(async () => db.prepare('INSERT INTO t (id, parent) VALUES (13, 1)').run());
    expect(rows(db)).toEqual([13]);
  });

  it('answers nobody before the COMMIT: an item that failed is told after the others are durable', async () => {
    const db = freshDb();
    const g = new GroupCommitter(db);
    const seen: string[] = [];
    const first = g.submit(async () => db.prepare('INSERT INTO t (id, parent) VALUES (20, 1)').run());
    const second = g.submit(async () => {
      throw new Error('refused');
    });
    void first.then(() => seen.push(`first, committed: ${!db.inTransaction}`));
    await second.catch(() => seen.push(`second refused, committed: ${!db.inTransaction}`));
    await first;
    expect(seen).toEqual(['first, committed: true', 'second refused, committed: true']);
  });

  it('a lone transaction is not held back waiting for company', async () => {
    const db = freshDb();
    const g = new GroupCommitter(db);
    for (let i = 0; i < 5; i++)
      await g.submit(async () => db.prepare('INSERT INTO t (id, parent) VALUES (?, 1)').run(30 + i));
    expect(g.stats).toEqual({ groups: 5, items: 5 });
  });
});

describe('SqliteStore with group commit', () => {
  it('200 concurrent credits share few COMMITs, every one lands once, and the ledger verifies', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jifen-group-store-')), 'jifen.db');
    const store = (await SqliteStore.open(path)) as SqliteStore;
    const f = ledgerFixture(store);
    const members = await Promise.all(Array.from({ length: 20 }, () => f.member()));
    const before = store.groupStats;
    await Promise.all(Array.from({ length: 200 }, (_, i) => grant(f, members[i % 20]!, 5, `group-${i}`)));
    const after = store.groupStats;
    expect(after.items - before.items).toBe(200);
    expect(after.groups - before.groups).toBeLessThan(20);
    for (const m of members) expect((await store.getAccount(m))?.balance).toBe(50);
    expect((await f.verify()).problems).toEqual([]);
    await store.close();
  });
});

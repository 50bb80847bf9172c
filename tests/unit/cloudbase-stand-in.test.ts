/**
 * The CloudBase in-memory stand-in itself (not a real CloudBase): the SDK
 * semantics the adapter relies on, so a contract run on it means something.
 */
import { describe, expect, it } from 'vitest';
import { CONFLICT_CODE, type Doc } from '../../cloudfunctions/core/store/cloudbase/db-api.js';
import { MemoryDb, memoryDatabase } from '../../cloudfunctions/core/store/cloudbase/memory-db.js';

async function dbWith(...names: string[]): Promise<MemoryDb> {
  const db = new MemoryDb();
  for (const name of names) await db.createCollection(name);
  return db;
}

const read = async (db: MemoryDb, id: string, name = 'c'): Promise<Doc | undefined> =>
  (await db.collection(name).doc(id).get()).data?.[0];

describe('CloudBase in-memory stand-in (not a real CloudBase)', () => {
  it('two transactions writing one document: the first commit wins, the second aborts and writes nothing', async () => {
    const db = await dbWith('c', 'd');
    await db.collection('c').doc('x').set({ n: 0 });
    const [t1, t2] = [await db.startTransaction(), await db.startTransaction()];
    for (const t of [t1, t2]) {
      const { data } = await t.collection('c').doc('x').get();
      await t
        .collection('c')
        .doc('x')
        .set({ n: Number(data?.n) + 1 });
    }
    await t2.collection('d').doc('side').set({ by: 't2' });
    await t1.commit();
    await expect(t2.commit()).rejects.toMatchObject({ code: CONFLICT_CODE });
    expect(await read(db, 'x')).toEqual({ _id: 'x', n: 1 });
    expect(await read(db, 'side', 'd')).toBeUndefined();
  });

  it('creating the same _id in two transactions conflicts: _id is unique', async () => {
    const db = await dbWith('c');
    const [t1, t2] = [await db.startTransaction(), await db.startTransaction()];
    for (const [t, by] of [
      [t1, 1],
      [t2, 2],
    ] as const) {
      expect((await t.collection('c').doc('k').get()).data).toBeNull();
      await t.collection('c').doc('k').set({ by });
    }
    await t2.commit();
    await expect(t1.commit()).rejects.toMatchObject({ code: CONFLICT_CODE });
    expect((await db.collection('c').count()).total).toBe(1);
    expect(await read(db, 'k')).toEqual({ _id: 'k', by: 2 });
  });

  it('a transaction reads its snapshot and its own writes, never a later commit', async () => {
    const db = await dbWith('c');
    await db.collection('c').doc('x').set({ v: 'old' });
    const t = await db.startTransaction();
    await db.collection('c').doc('x').set({ v: 'new' });
    await db.collection('c').doc('y').set({ v: 'born later' });
    expect((await t.collection('c').doc('x').get()).data).toEqual({ _id: 'x', v: 'old' });
    expect((await t.collection('c').doc('y').get()).data).toBeNull();
    await t.collection('c').doc('z').set({ v: 'mine' });
    expect((await t.collection('c').doc('z').get()).data).toEqual({ _id: 'z', v: 'mine' });
    expect(await read(db, 'z')).toBeUndefined(); // not visible to others before commit
    await t.commit();
    expect(await read(db, 'z')).toEqual({ _id: 'z', v: 'mine' });
  });

  it('reads never conflict: disjoint writes both commit (snapshot isolation, as MongoDB)', async () => {
    const db = await dbWith('c');
    await db.collection('c').doc('a').set({ n: 1 });
    const [t1, t2] = [await db.startTransaction(), await db.startTransaction()];
    await t1.collection('c').doc('a').get();
    await t2.collection('c').doc('a').get();
    await t1.collection('c').doc('a').set({ n: 2 });
    await t2.collection('c').doc('b').set({ n: 3 });
    await t1.commit();
    await expect(t2.commit()).resolves.toBeDefined();
  });

  it('a write outside any transaction also makes a transaction that writes the document abort', async () => {
    const db = await dbWith('c');
    const t = await db.startTransaction();
    await t.collection('c').doc('x').set({ by: 'tx' });
    await db.collection('c').doc('x').set({ by: 'outside' });
    await expect(t.commit()).rejects.toMatchObject({ code: CONFLICT_CODE });
    expect(await read(db, 'x')).toEqual({ _id: 'x', by: 'outside' });
  });

  it('rollback discards the writes, and an ended transaction refuses more work', async () => {
    const db = await dbWith('c');
    const t = await db.startTransaction();
    await t.collection('c').doc('x').set({ n: 1 });
    await t.rollback();
    expect(await read(db, 'x')).toBeUndefined();
    await expect(t.collection('c').doc('x').get()).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });

  it('set replaces or creates, update merges into an existing document only, _id is never data', async () => {
    const db = await dbWith('c');
    const doc = db.collection('c').doc('x');
    expect(await doc.update({ a: 1 })).toMatchObject({ updated: 0 });
    expect(await read(db, 'x')).toBeUndefined();
    await doc.set({ a: 1, b: 2 });
    await doc.update({ b: 3, c: 4 });
    expect(await read(db, 'x')).toEqual({ _id: 'x', a: 1, b: 3, c: 4 });
    await doc.set({ z: 0 });
    expect(await read(db, 'x')).toEqual({ _id: 'x', z: 0 });
    expect(await doc.set({ _id: 'y', a: 1 })).toMatchObject({ code: 'INVALID_PARAM' });
    expect(await doc.set({ meta: { $where: 1 } })).toMatchObject({ code: 'INVALID_PARAM' });
    const t = await db.startTransaction();
    await expect(t.collection('c').doc('x').set({ _id: 'y' })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
    expect(await t.collection('c').doc('gone').update({ a: 1 })).toMatchObject({ updated: 0 });
    expect(await t.collection('c').doc('x').delete()).toMatchObject({ deleted: 1 });
    await t.commit();
    expect(await read(db, 'x')).toBeUndefined();
  });

  it('documents are copied in and out: no caller can change stored state by aliasing', async () => {
    const db = await dbWith('c');
    const data = { nested: { n: 1 }, list: [1] };
    await db.collection('c').doc('x').set(data);
    data.nested.n = 99;
    const got = (await read(db, 'x'))!;
    (got.nested as { n: number }).n = 42;
    (got.list as number[]).push(2);
    expect(await read(db, 'x')).toEqual({ _id: 'x', nested: { n: 1 }, list: [1] });
    const t = await db.startTransaction();
    const inTx = (await t.collection('c').doc('x').get()).data!;
    (inTx.nested as { n: number }).n = 7;
    expect((await t.collection('c').doc('x').get()).data).toEqual({ _id: 'x', nested: { n: 1 }, list: [1] });
    await t.rollback();
  });

  it('where() with the operators the adapter uses; null matches a missing field; ranges never cross types', async () => {
    const db = await dbWith('c');
    const _ = db.command;
    const rows: Array<[string, Record<string, unknown>]> = [
      ['a', { n: 1, s: 'open', m: null }],
      ['b', { n: 5, s: 'open', m: 'x' }],
      ['c', { n: 9, s: 'done' }],
      ['d', { n: '7', s: 'open', m: 'y' }],
    ];
    for (const [id, d] of rows) await db.collection('c').doc(id).set(d);
    const ids = async (where: Record<string, unknown>) =>
      ((await db.collection('c').where(where).orderBy('_id', 'asc').get()).data ?? []).map((d) => d._id);
    expect(await ids({ n: _.gt(1) })).toEqual(['b', 'c']);
    expect(await ids({ n: _.lte(5), s: 'open' })).toEqual(['a', 'b']);
    expect(await ids({ m: null })).toEqual(['a', 'c']);
    expect(await ids({ m: _.neq(null) })).toEqual(['b', 'd']);
    expect(await ids({ s: _.nin(['done']), n: _.gte(5) })).toEqual(['b']);
    expect(await ids({ s: _.in(['done']) })).toEqual(['c']);
    expect(await ids({ n: _.lt('8') })).toEqual(['d']);
  });

  it('orderBy, skip and limit: 100 documents unless asked, never more than 1000 a call', async () => {
    const db = await dbWith('c');
    for (let i = 0; i < 1200; i++)
      await db
        .collection('c')
        .doc(`k${String(i).padStart(4, '0')}`)
        .set({ i });
    expect((await db.collection('c').get()).data).toHaveLength(100);
    expect((await db.collection('c').limit(5000).get()).data).toHaveLength(1000);
    const page = (await db.collection('c').orderBy('i', 'desc').skip(10).limit(3).get()).data!;
    expect(page.map((d) => d.i)).toEqual([1189, 1188, 1187]);
    expect(
      (
        await db
          .collection('c')
          .where({ i: db.command.gte(1000) })
          .count()
      ).total,
    ).toBe(200);
  });

  it('collections must be created first, and a name opens the same database twice', async () => {
    const db = new MemoryDb();
    expect(await db.collection('nope').get()).toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' });
    expect(await db.createCollection('c')).not.toHaveProperty('code');
    expect(await db.createCollection('c')).toHaveProperty('code');
    const name = `same-${Math.random()}`;
    expect(memoryDatabase(name)).toBe(memoryDatabase(name));
  });
});

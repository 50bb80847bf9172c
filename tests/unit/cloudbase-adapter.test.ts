/**
 * What the CloudBase adapter adds on top of the SDK, on the in-memory stand-in
 * (not a real CloudBase): locks that are writes, queries that see the
 * transaction's own writes, ids and keys.
 */
import { describe, expect, it } from 'vitest';
import { CONFLICT_CODE } from '../../cloudfunctions/core/store/cloudbase/db-api.js';
import { docId, timeId } from '../../cloudfunctions/core/store/cloudbase/doc-ids.js';
import { memoryDatabase } from '../../cloudfunctions/core/store/cloudbase/memory-db.js';
import { cloudbaseDbFor } from '../../cloudfunctions/core/store/cloudbase/open.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { storeErrorAsDomain } from '../../cloudfunctions/core/store/store-errors.js';

const freshUrl = () => `cloudbase-memory://unit-${Math.random().toString(36).slice(2)}`;

/** Resolves once `n` callers have arrived: holds racing transactions open together. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived >= n) open();
    return opened;
  };
}

describe('CloudBase adapter on the in-memory stand-in (not a real CloudBase)', () => {
  it('a lock is a write: two transactions holding one order lock cannot both commit, the loser runs again', async () => {
    const store = await openStore(freshUrl());
    await store.transaction((tx) => tx.lockOrder('alipay', 'O-1')); // the lock document exists from now on
    const bothLocked = barrier(2);
    let runs = 0;
    await Promise.all(
      ['S1', 'S2'].map((id) =>
        store.transaction(async (tx) => {
          runs++;
          await tx.lockOrder('alipay', 'O-1');
          if (runs <= 2) await bothLocked();
          await tx.insertStore({ id, name: id, region: 'east', createdAt: 0 });
        }),
      ),
    );
    expect(runs).toBe(3);
    expect((await store.listStores()).map((s) => s.id)).toEqual(['S1', 'S2']);
  });

  it("a query inside a transaction sees the transaction's own writes, which CloudBase itself would not", async () => {
    const store = await openStore(freshUrl());
    const lots = await store.transaction(async (tx) => {
      await tx.insertMember({ id: 'm1', openid: 'o1', unionid: null, status: 'active', growth: 0, createdAt: 0 });
      await tx.insertAccount('m1', 'member', 0);
      await tx.insertLot({ accountId: 'm1', eventId: 1, amount: 5, remaining: 5, expiresAt: null, createdAt: 0 });
      await tx.insertLot({ accountId: 'm1', eventId: 2, amount: 3, remaining: 3, expiresAt: null, createdAt: 0 });
      const [first] = await tx.openLots('m1');
      await tx.setLotRemaining(first!.id, 0);
      return tx.openLots('m1');
    });
    expect(lots.map((l) => l.remaining)).toEqual([3]);
    expect(await store.openLots('m1')).toEqual(lots);
  });

  it("a member's event ids increase in commit order; replays and other members never share one", async () => {
    const store = await openStore(freshUrl());
    const event = (memberId: string, externalId: string) => ({
      source: 'unit',
      externalId,
      requestHash: null,
      kind: 'adjust' as const,
      memberId,
      delta: 0,
      balanceAfter: 0,
      heldAfter: 0,
      storeId: null,
      meta: {},
      createdAt: 0,
    });
    for (const m of ['a', 'b']) {
      await store.transaction(async (tx) => {
        await tx.insertMember({ id: m, openid: null, unionid: null, status: 'active', growth: 0, createdAt: 0 });
        await tx.insertAccount(m, 'member', 0);
      });
    }
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      for (const m of ['a', 'b']) ids.push((await store.transaction((tx) => tx.insertEvent(event(m, `${m}${i}`))))!.id);
    }
    expect(new Set(ids).size).toBe(10);
    const ofA = ids.filter((_, i) => i % 2 === 0);
    expect([...ofA].sort((x, y) => x - y)).toEqual(ofA);
    expect(await store.transaction((tx) => tx.insertEvent(event('a', 'a0')))).toBeNull();
    expect((await store.history('a', null, 10)).items.map((e) => e.id)).toEqual([...ofA].reverse());
  });

  it('keys become readable, injective _ids; time ids increase', () => {
    expect(docId('wechatpay', '4200001234')).toBe('wechatpay:4200001234');
    expect(docId('sys:issued:3')).toBe('sys~3aissued~3a3');
    expect(docId('a:b', 'c')).not.toBe(docId('a', 'b:c'));
    expect(docId('~')).not.toBe(docId('~7e'));
    expect(docId('会员')).toMatch(/^[A-Za-z0-9_.~-]+$/);
    const [t1, t2] = [timeId(), timeId()];
    expect(t2).toBeGreaterThan(t1);
    expect(Number.isSafeInteger(t2)).toBe(true);
  });

  it('?prefix= keeps each store in its own collections of one environment', async () => {
    const name = `prefix-${Math.random().toString(36).slice(2)}`;
    const a = await openStore(`cloudbase-memory://${name}?prefix=a_`);
    const b = await openStore(`cloudbase-memory://${name}?prefix=b_`);
    await a.transaction((tx) => tx.insertStore({ id: 'S1', name: 'one', region: 'east', createdAt: 0 }));
    expect((await a.listStores()).length).toBe(1);
    expect(await b.listStores()).toEqual([]);
    expect((await memoryDatabase(name).collection('a_stores').count()).total).toBe(1);
  });

  it('a conflict that outlives its retries is STORE_BUSY (503), never a 500', () => {
    expect(storeErrorAsDomain({ code: CONFLICT_CODE })).toMatchObject({ code: 'STORE_BUSY', status: 503 });
  });

  it('cloudbase://<env> is a real @cloudbase/node-sdk database with every call db-api.ts declares (no network)', async () => {
    const env = { TENCENTCLOUD_SECRETID: 'id-for-a-shape-test', TENCENTCLOUD_SECRETKEY: 'key-for-a-shape-test' };
    const db = (await cloudbaseDbFor('cloudbase://jifen-shape-test', env)) as unknown as Record<string, any>;
    const fns = (o: Record<string, unknown>, names: string[]) => names.filter((n) => typeof o[n] !== 'function');
    expect(fns(db, ['collection', 'startTransaction', 'createCollection'])).toEqual([]);
    expect(fns(db.command, ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'nin'])).toEqual([]);
    const query = db
      .collection('accounts')
      .where({ balance: db.command.gt(0) })
      .orderBy('id', 'asc');
    expect(fns(query.skip(1).limit(1), ['where', 'orderBy', 'limit', 'skip', 'get', 'count'])).toEqual([]);
    // A transaction's collection() is the same CollectionReference, bound to the transaction: doc() has delete().
    expect(fns(db.collection('accounts').doc('x'), ['get', 'set', 'update', 'remove', 'delete'])).toEqual([]);
  });
});

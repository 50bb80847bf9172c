/**
 * PostgreSQL transactions are pipelined (store/postgres/store.ts,
 * PgTxRunner): a write whose answer nothing reads is sent without waiting,
 * and its answer is collected with the next statement's or the COMMIT's.
 * Must show: the write really does not wait; and nothing commits past a
 * failure, even one the caller swallowed, including a failed version check
 * (which fails in our code: PostgreSQL itself would commit).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { UniqueViolation, VersionConflict, type Store } from '../../cloudfunctions/core/store/port.js';
import { createDatabase } from '../support/postgres.js';
import { ledgerFixture, openHold } from '../support/ledger-fixture.js';

const pgUrl = inject('pgUrl');

describe.skipIf(!pgUrl)('PostgreSQL pipelined transactions', () => {
  let url: string;
  let store: Store;
  beforeAll(async () => {
    url = await createDatabase(pgUrl, 'jifen_pipeline');
    store = await openStore(url);
  });
  afterAll(() => store?.close());

  it('a sent write returns at once; the next read waits for it on the server', async () => {
    // Another session holds the order's lock row, uncommitted: our lockOrder blocks on the server.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const order = `PIPE-${Date.now()}`;
    const steps: string[] = [];
    try {
      await other.query('BEGIN');
      await other.query("INSERT INTO order_locks (channel, out_trade_no) VALUES ('wechatpay', $1)", [order]);
      const done = store.transaction(async (tx) => {
        await tx.lockOrder('wechatpay', order);
        steps.push('lockOrder returned');
        const found = await tx.findPaymentByOrder('wechatpay', order);
        steps.push('read answered');
        return found;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The send came back although the lock is still held; the read behind it is still waiting.
      expect(steps).toEqual(['lockOrder returned']);
      await other.query('COMMIT');
      expect(await done).toBeNull();
      expect(steps).toEqual(['lockOrder returned', 'read answered']);
    } finally {
      await other.end();
    }
  });

  it('a failed write the caller never saw, or swallowed, still keeps the transaction from committing', async () => {
    const f = ledgerFixture(store);
    const m = await f.member();
    const hold = openHold(m, `hold-pipe-${m}`);
    const swallowed: unknown[] = [];
    await expect(
      store.transaction(async (tx) => {
        await tx.addCounters(m, { 'pipe-probe': 5 });
        await tx.insertHold(hold);
        await tx.insertHold(hold); // breaks the key; sent, so nothing is thrown here
        // The read after it reports the write's failure (not its own "transaction is aborted"); swallowed.
        await tx.getMember(m).catch((e: unknown) => swallowed.push(e));
        return 'returned normally';
      }),
    ).rejects.toBeInstanceOf(UniqueViolation);
    expect(swallowed).toHaveLength(1);
    expect(swallowed[0]).toBeInstanceOf(UniqueViolation);
    expect(await store.transaction((tx) => tx.counters(m, ['pipe-probe']))).toEqual({ 'pipe-probe': 0 });
    expect(await store.transaction((tx) => tx.getHold(hold.id))).toBeNull();
  });

  // A changed-rows check fails in our code, not on the server: PostgreSQL would commit a COMMIT sent after it.
  it('a failed version check the caller swallowed still keeps the transaction from committing', async () => {
    const f = ledgerFixture(store);
    const m = await f.member();
    await expect(
      store.transaction(async (tx) => {
        const a = (await tx.lockAccount(m))!;
        await tx.updateAccount(m, a.version, a.balance + 1, a.held);
        await tx.addCounters(m, { 'pipe-check-probe': 5 });
        await tx.updateAccount(m, a.version, a.balance + 2, a.held); // stale: the check fails when answered
        await tx.getMember(m).catch(() => null); // reports the conflict; swallowed
        return 'returned normally';
      }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(await store.transaction((tx) => tx.counters(m, ['pipe-check-probe']))).toEqual({ 'pipe-check-probe': 0 });
    expect((await store.getAccount(m))?.balance).toBe(0);
  });

  it('a failed version check answered while the transaction waited on something else: no COMMIT goes out', async () => {
    const f = ledgerFixture(store);
    const m = await f.member();
    await expect(
      store.transaction(async (tx) => {
        const a = (await tx.lockAccount(m))!;
        await tx.addCounters(m, { 'pipe-late-probe': 5 });
        await tx.updateAccount(m, a.version + 7, a.balance + 1, a.held); // stale from the start
        await new Promise((resolve) => setTimeout(resolve, 50)); // its answer arrives meanwhile; nothing reads after
        return 'returned normally';
      }),
    ).rejects.toBeInstanceOf(VersionConflict);
    expect(await store.transaction((tx) => tx.counters(m, ['pipe-late-probe']))).toEqual({ 'pipe-late-probe': 0 });
  });

  it('a failed read the caller swallowed fails the transaction with its own error', async () => {
    const f = ledgerFixture(store);
    const m = await f.member();
    await expect(
      store.transaction(async (tx) => {
        await tx.addCounters(m, { 'pipe-read-probe': 5 });
        await tx.getEvent(m, Number.NaN).catch(() => null); // not a bigint: the statement fails
        return 'returned normally';
      }),
    ).rejects.toMatchObject({ code: '22P02' });
    expect(await store.transaction((tx) => tx.counters(m, ['pipe-read-probe']))).toEqual({ 'pipe-read-probe': 0 });
  });
});

/**
 * The store contract: every backend must pass the same suite. SQLite always
 * runs; PostgreSQL runs on the server global-setup started (skipped, with the
 * reason in the suite name, only where PostgreSQL is not installed).
 */
import { SYSTEM_ACCOUNTS, SYSTEM_SHARDS } from '../../cloudfunctions/core/domain/accounts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../cloudfunctions/core/domain/errors.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { UniqueViolation, VersionConflict, type Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { grant, key, ledgerFixture, openHold, spend, T0, type LedgerFixture } from '../support/ledger-fixture.js';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `store contract on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let url: string;
      let store: Store;
      let f: LedgerFixture;

      beforeAll(async () => {
        url = await backend.freshUrl();
        store = await openStore(url);
        f = ledgerFixture(store);
      });
      afterAll(() => store?.close());

      it('migrates once: reopening the same database applies nothing and keeps the data', async () => {
        const m = await f.member();
        await grant(f, m, 5, 'migrate-1');
        const again = await openStore(url);
        try {
          expect((await again.getAccount(m))?.balance).toBe(5);
        } finally {
          await again.close();
        }
      });

      it('recentEvents: a member’s or a store’s events of some kinds since a time, newest first', async () => {
        const m = await f.member();
        const at = (minutes: number) => T0 + 3 * 86_400_000 + minutes * 60_000;
        const post = async (minutes: number, id: string, kind: 'earn' | 'bonus', storeId: string) => {
          f.clock.now = at(minutes);
          await f.ledger.credit({ key: key(id), memberId: m, points: 5, kind, counterparty: 'issued', storeId });
        };
        await post(0, 'recent-1', 'earn', 'RS1');
        await post(5, 'recent-2', 'bonus', 'RS1');
        await post(8, 'recent-3', 'earn', 'RS2');
        await post(9, 'recent-4', 'earn', 'RS1');
        const ids = (rows: Array<{ externalId: string }>) => rows.map((e) => e.externalId);
        expect(ids(await store.recentEvents({ memberId: m, kinds: ['earn'], since: at(1), limit: 10 }))).toEqual([
          'recent-4',
          'recent-3',
        ]);
        expect(
          ids(await store.recentEvents({ memberId: m, kinds: ['earn', 'bonus'], since: at(0), limit: 2 })),
        ).toEqual(['recent-4', 'recent-3']);
        expect(
          ids(await store.recentEvents({ storeId: 'RS1', kinds: ['earn', 'bonus'], since: at(0), limit: 10 })),
        ).toEqual(['recent-4', 'recent-2', 'recent-1']);
        // The burst checks' count: the same filter, capped at the limit.
        expect(await store.countRecentEvents({ memberId: m, kinds: ['earn'], since: at(1), limit: 10 })).toBe(2);
        expect(await store.countRecentEvents({ memberId: m, kinds: ['earn', 'bonus'], since: at(0), limit: 2 })).toBe(
          2,
        );
        expect(
          await store.countRecentEvents({ storeId: 'RS1', kinds: ['earn', 'bonus'], since: at(0), limit: 10 }),
        ).toBe(3);
        expect(await store.countRecentEvents({ storeId: 'RS2', kinds: ['bonus'], since: at(0), limit: 10 })).toBe(0);
        f.clock.now = T0;
      });

      it('openPayment: an existing row locked; a new order pending, written once by insertPayment where nothing else can create it', async () => {
        const id = 'wechatpay:4200open1';
        const open = (at: number, orderLocked: boolean) =>
          store.transaction((tx) => tx.openPayment(id, 'wechatpay', '4200open1', at, orderLocked));
        const opened = await open(T0, false);
        expect(opened.row).toMatchObject({ id, status: 'pending', tradeNo: '4200open1', memberId: null, totalFen: 0 });
        // Without the order lock only SQLite (one transaction at a time) leaves it unwritten; the others store it
        // pending at once, as ensurePayment.
        expect(opened.stored).toBe(backend.name !== 'sqlite');
        expect(await store.getPayment(id)).toEqual(
          opened.stored ? expect.objectContaining({ status: 'pending' }) : null,
        );

        const paid = await store.transaction(async (tx) => {
          const { row, stored } = await tx.openPayment(id, 'wechatpay', '4200open1', T0 + 1, false);
          const done = { ...row, status: 'paid' as const, totalFen: 1200, paidFen: 1200, pointsEarned: 12, paidAt: T0 };
          await (stored ? tx.savePayment(done) : tx.insertPayment(done));
          return done;
        });
        expect(await store.getPayment(id)).toMatchObject({ status: 'paid', totalFen: 1200, pointsEarned: 12 });
        // Created when first written: at the first open where it stores the pending row, else at the insert.
        expect(paid.createdAt).toBe(opened.stored ? T0 : T0 + 1);
        expect(await open(T0 + 2, true)).toEqual({
          row: expect.objectContaining({ status: 'paid', pointsEarned: 12 }),
          stored: true,
        });
      });

      it('openPayment under the order lock leaves a new row unwritten on SQL; a row that appears meanwhile makes insertPayment a conflict, and the transaction runs again', async () => {
        const id = 'wechatpay:4200open2';
        const attempts: string[] = [];
        await store.transaction(async (tx) => {
          const { row, stored } = await tx.openPayment(id, 'wechatpay', '4200open2', T0, true);
          attempts.push(stored ? 'stored' : 'unstored');
          if (stored) return;
          // The first time, what a refund without the order lock does meanwhile: the pending row.
          if (attempts.length === 1) await tx.ensurePayment(id, 'wechatpay', '4200open2', T0);
          await tx.insertPayment({ ...row, status: 'paid', totalFen: 500 });
        });
        if (backend.documentStore) {
          expect(attempts).toEqual(['stored']);
          return;
        }
        // The conflict rolled the first attempt back (its pending row too); the second wrote the row once.
        expect(attempts).toEqual(['unstored', 'unstored']);
        expect(await store.getPayment(id)).toMatchObject({ status: 'paid', totalFen: 500 });
      });

      it('hasOpenAlert: true while an alert of that kind and subject is open, false once resolved', async () => {
        const raise = (kind: string, subject: string) =>
          store.transaction((tx) => tx.insertAlert({ kind, subject, detail: {}, createdAt: T0 }));
        await raise('risk.x', 'member:a');
        await raise('risk.y', 'member:b');
        expect(await store.hasOpenAlert('risk.x', 'member:a')).toBe(true);
        expect(await store.hasOpenAlert('risk.x', 'member:b')).toBe(false);
        expect(await store.hasOpenAlert('risk.y', 'member:a')).toBe(false);
        const id = (await store.alerts('open', 10)).find((a) => a.kind === 'risk.x')!.id;
        expect(await store.transaction((tx) => tx.resolveAlert(id, 'hq', T0 + 1))).toBe(true);
        expect(await store.hasOpenAlert('risk.x', 'member:a')).toBe(false);
      });

      it('creates the sharded system accounts, all starting at zero', async () => {
        const fresh = await openStore(await backend.freshUrl());
        try {
          const summary = await fresh.ledgerSummary();
          const system = summary.accounts.filter((a) => a.kind === 'system');
          expect(system.length).toBe(SYSTEM_ACCOUNTS.length * SYSTEM_SHARDS); // six accounts since `forfeited`
          expect(SYSTEM_ACCOUNTS.length * SYSTEM_SHARDS).toBe(48);
          expect(system.every((a) => a.balance === 0)).toBe(true);
        } finally {
          await fresh.close();
        }
      });

      it('insertEvent refuses a second event with the same (source, external_id) and a rollback leaves no trace', async () => {
        const m = await f.member();
        const base = {
          source: 'contract',
          externalId: `dup-${m}`,
          requestHash: null,
          kind: 'adjust' as const,
          memberId: m,
          delta: 0,
          balanceAfter: 0,
          heldAfter: 0,
          storeId: null,
          meta: {},
          createdAt: f.clock.now,
        };
        const first = await store.transaction((tx) => tx.insertEvent(base));
        expect(first?.id).toBeGreaterThan(0);
        const before = await store.counts();
        await expect(
          store.transaction(async (tx) => {
            expect(await tx.insertEvent({ ...base, delta: 9 })).toBeNull();
            await tx.insertAccount(`ghost-${m}`, 'member', 0);
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(await store.counts()).toEqual(before);
        expect((await store.findEvent('contract', `dup-${m}`))?.delta).toBe(0);
      });

      it('updateAccount with a stale version is a VersionConflict', async () => {
        const m = await f.member();
        await expect(
          store.transaction(async (tx) => {
            const a = (await tx.lockAccount(m))!;
            await tx.updateAccount(m, a.version, 1, 0);
            await tx.updateAccount(m, a.version, 2, 0);
          }),
        ).rejects.toBeInstanceOf(VersionConflict);
        expect((await store.getAccount(m))?.balance).toBe(0);
      });

      it('a write that breaks a key fails its transaction even with nothing read after it, and none of it stays', async () => {
        const m = await f.member();
        const hold = openHold(m, `hold-dup-${m}`);
        await expect(
          store.transaction(async (tx) => {
            await tx.addCounters(m, { 'dup-probe': 5 });
            await tx.insertHold(hold);
            // The same id again: SQLite refuses it here, PostgreSQL (pipelined) with the COMMIT.
            await tx.insertHold(hold);
          }),
        ).rejects.toBeInstanceOf(UniqueViolation);
        expect(await store.transaction((tx) => tx.counters(m, ['dup-probe']))).toEqual({ 'dup-probe': 0 });
        expect(await store.transaction((tx) => tx.getHold(hold.id))).toBeNull();
      });

      // CloudBase runs a transaction as its own calls, with no statement that can fail the rest: SQL backends only.
      it.skipIf(backend.name.startsWith('cloudbase'))(
        'a failed statement the caller swallowed still fails its transaction, and none of it stays',
        async () => {
          const m = await f.member();
          const hold = openHold(m, `hold-swallowed-${m}`);
          await expect(
            store.transaction(async (tx) => {
              await tx.addCounters(m, { 'swallowed-probe': 5 });
              await tx.insertHold(hold);
              await tx.insertHold(hold).catch(() => null); // SQLite throws here: swallowed
              await tx.getMember(m).catch(() => null); // PostgreSQL reports it here: swallowed
              return 'returned normally';
            }),
          ).rejects.toBeInstanceOf(UniqueViolation);
          expect(await store.transaction((tx) => tx.counters(m, ['swallowed-probe']))).toEqual({
            'swallowed-probe': 0,
          });
          expect(await store.transaction((tx) => tx.getHold(hold.id))).toBeNull();
        },
      );

      it('an account locked again in the same transaction reads as this transaction last wrote it', async () => {
        // A store of its own: the bare balance write below is not a posting, and the shared ledger must verify.
        const own = await openStore(await backend.freshUrl());
        const g = ledgerFixture(own);
        const m = await g.member();
        await grant(g, m, 30, `relock-${m}`);
        const seen = await own.transaction(async (tx) => {
          const first = (await tx.lockAccount(m))!;
          first.balance = 999; // a caller changing its copy changes nothing else
          const again = (await tx.lockAccount(m))!;
          await tx.updateAccount(m, again.version, again.balance + 5, again.held + 2);
          const after = (await tx.lockAccount(m))!;
          return { again, after };
        });
        expect(seen.again.balance).toBe(30);
        expect(seen.after).toMatchObject({ balance: 35, held: 2, version: seen.again.version + 1 });
        expect(await own.getAccount(m)).toMatchObject({ balance: 35, held: 2, version: seen.again.version + 1 });
        // The copy's version moves with the write: a stale one is still refused, and the transaction with it
        // (PostgreSQL learns of it with the next statement or the commit: the write is pipelined).
        await expect(
          own.transaction(async (tx) => {
            const a = (await tx.lockAccount(m))!;
            await tx.updateAccount(m, a.version, a.balance + 1, a.held);
            await tx.lockAccount(m);
            await tx.updateAccount(m, a.version, 0, 0);
          }),
        ).rejects.toBeInstanceOf(VersionConflict);
        expect(await own.getAccount(m)).toMatchObject({ balance: 35, held: 2, version: seen.again.version + 1 });
        await own.close();
      });

      it('a replayed key returns the first result and writes nothing', async () => {
        const m = await f.member();
        const first = await grant(f, m, 40, `replay-${m}`);
        const before = await store.counts();
        const again = await grant(f, m, 40, `replay-${m}`);
        expect(again.replayed).toBe(true);
        expect(again.result.id).toBe(first.result.id);
        expect(await store.counts()).toEqual(before);
        expect((await store.getAccount(m))?.balance).toBe(40);
      });

      it('the same key 10 times concurrently makes one event', async () => {
        const m = await f.member();
        const results = await Promise.all(Array.from({ length: 10 }, () => grant(f, m, 7, `race-${m}`)));
        expect(new Set(results.map((r) => r.result.id)).size).toBe(1);
        expect(results.filter((r) => !r.replayed).length).toBe(1);
        expect((await store.getAccount(m))?.balance).toBe(7);
        expect((await store.history(m, null, 100)).items.length).toBe(1);
      });

      it('200 concurrent debits against 50 points: exactly 50 succeed, never overdrawn', async () => {
        const m = await f.member();
        await grant(f, m, 50, `fund-${m}`);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 200 }, (_, i) => spend(f, m, 1, `debit-${m}-${i}`)),
        );
        const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
        const refused = outcomes.filter(
          (o) => o.status === 'rejected' && (o.reason as DomainError).code === 'INSUFFICIENT_POINTS',
        ).length;
        expect([ok, refused]).toEqual([50, 150]);
        expect(await store.getAccount(m)).toMatchObject({ balance: 0, held: 0 });
        expect((await f.verify()).problems).toEqual([]);
      });

      it('spends the earliest-expiring lot first', async () => {
        const m = await f.member();
        f.clock.now += 1000;
        await grant(f, m, 10, `lot-a-${m}`);
        const lateLedger = ledgerFixture(store, 30); // a shorter-lived lot, created later
        lateLedger.clock.now = f.clock.now + 1000;
        await grant(lateLedger, m, 10, `lot-b-${m}`);
        await spend(f, m, 4, `lot-spend-${m}`);
        const lots = await store.openLots(m);
        expect(lots.map((l) => l.remaining)).toEqual([10, 6]);
      });

      it('a clawback may leave a debt, new credits repay it first', async () => {
        const m = await f.member();
        await grant(f, m, 10, `cb-grant-${m}`);
        await spend(f, m, 8, `cb-spend-${m}`);
        await f.ledger.clawback({
          key: key(`cb-${m}`),
          memberId: m,
          points: 10,
          kind: 'refund',
          counterparty: 'issued',
        });
        expect((await store.getAccount(m))?.balance).toBe(-8);
        await expect(spend(f, m, 1, `cb-spend2-${m}`)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
        await grant(f, m, 5, `cb-repay-${m}`);
        expect((await store.getAccount(m))?.balance).toBe(-3);
        expect(await store.openLots(m)).toEqual([]);
        await grant(f, m, 5, `cb-repay2-${m}`);
        expect((await store.openLots(m)).map((l) => l.remaining)).toEqual([2]);
        expect((await f.verify()).problems).toEqual([]);
      });

      it('holds: capture spends, release frees, expiry frees, and closed or expired holds refuse', async () => {
        const m = await f.member();
        await grant(f, m, 100, `h-grant-${m}`);
        const h1 = (await f.ledger.hold({ key: key(`h1-${m}`), memberId: m, points: 30, ttlMs: 120_000 })).result;
        expect(await store.getAccount(m)).toMatchObject({ balance: 100, held: 30 });
        await expect(spend(f, m, 71, `h-over-${m}`)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });

        await f.ledger.capture({ key: key(`c1-${m}`), holdId: h1.id, points: 20 });
        expect(await store.getAccount(m)).toMatchObject({ balance: 80, held: 0 });
        await expect(f.ledger.capture({ key: key(`c1b-${m}`), holdId: h1.id, points: 1 })).rejects.toMatchObject({
          code: 'HOLD_CLOSED',
        });

        const h2 = (await f.ledger.hold({ key: key(`h2-${m}`), memberId: m, points: 10, ttlMs: 120_000 })).result;
        await f.ledger.release({ key: key(`r2-${m}`), holdId: h2.id, reason: 'void' });
        await expect(f.ledger.capture({ key: key(`c2-${m}`), holdId: h2.id, points: 10 })).rejects.toMatchObject({
          code: 'HOLD_CLOSED',
        });

        const h3 = (await f.ledger.hold({ key: key(`h3-${m}`), memberId: m, points: 50, ttlMs: 120_000 })).result;
        f.clock.now += 120_001;
        await expect(f.ledger.capture({ key: key(`c3-${m}`), holdId: h3.id, points: 5 })).rejects.toMatchObject({
          code: 'HOLD_EXPIRED',
          status: 410,
        });
        const done = await f.ledger.expire(m);
        expect(done.map((e) => e.kind)).toEqual(['release']);
        expect(await store.getAccount(m)).toMatchObject({ balance: 80, held: 0 });
        expect((await store.getHold(h3.id))?.status).toBe('released');
        expect((await f.verify()).problems).toEqual([]);
      });

      it('the expiry job expires due lots once and is safe to re-run', async () => {
        const short = ledgerFixture(store, 1);
        const m = await short.member();
        await grant(short, m, 25, `exp-${m}`);
        short.clock.now += 3 * 86_400_000;
        const first = await short.ledger.expire(m);
        expect(first.map((e) => [e.kind, e.delta])).toEqual([['expire', -25]]);
        expect(await short.ledger.expire(m)).toEqual([]);
        expect(await store.getAccount(m)).toMatchObject({ balance: 0 });
        expect((await f.verify()).problems).toEqual([]);
      });

      it('history pages newest first and ends with a null cursor', async () => {
        const m = await f.member();
        for (let i = 0; i < 45; i++) await grant(f, m, 1, `hist-${m}-${i}`);
        const seen: number[] = [];
        let before: number | null = null;
        let pages = 0;
        do {
          const page = await store.history(m, before, 20);
          seen.push(...page.items.map((e) => e.balanceAfter!));
          before = page.nextBeforeId;
          pages++;
        } while (before !== null);
        expect(pages).toBe(3);
        expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
      });

      it('concurrent first logins with one openid make one member', async () => {
        const openid = `same-${Math.random()}`;
        const ids = await Promise.all(Array.from({ length: 10 }, () => f.members.findOrCreateByOpenid(openid)));
        expect(new Set(ids.map((m) => m.id)).size).toBe(1);
      });

      const noTriggers = backend.documentStore
        ? ' (skipped: a document database has no triggers, and the server SDK may write any document; there the adapter never updates events or entries)'
        : '';
      it.skipIf(backend.documentStore)(`events and entries cannot be changed or deleted${noTriggers}`, async () => {
        const m = await f.member();
        await grant(f, m, 3, `imm-${m}`);
        const raw = await rawConnection(url);
        try {
          await expect(raw.exec("UPDATE events SET delta = 99 WHERE source = 'test'")).rejects.toThrow(/immutable/);
          await expect(raw.exec('DELETE FROM entries')).rejects.toThrow(/immutable/);
        } finally {
          await raw.close();
        }
      });

      it('a closed store answers ping with STORE_UNAVAILABLE (503)', async () => {
        const s = await openStore(await backend.freshUrl());
        await s.close();
        await expect(s.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
      });

      it('the whole ledger verifies after all of the above', async () => {
        const report = await f.verify();
        expect(report.problems).toEqual([]);
        expect(report.totals.members + report.totals.system).toBe(0);
        expect(report.totals.members).toBeGreaterThan(0);
      });
    },
  );
}

/** Straight to the database, around the port, to prove the schema itself refuses. */
async function rawConnection(url: string): Promise<{ exec(sql: string): Promise<void>; close(): Promise<void> }> {
  if (url.startsWith('sqlite:')) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(url.slice('sqlite:'.length));
    return { exec: async (sql) => void db.exec(sql), close: async () => void db.close() };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { exec: async (sql) => void (await client.query(sql)), close: () => client.end() };
}

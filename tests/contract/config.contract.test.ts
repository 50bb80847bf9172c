/**
 * Configuration documents and member counters on every backend: a document
 * and its versions, a locked edit, counters that start at zero and add up,
 * and a member's tier and birthday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `configuration and counters on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
      });
      afterAll(() => store?.close());

      it('keeps the current document and every version, in order', async () => {
        for (const version of [1, 2]) {
          await store.transaction(async (tx) => {
            const before = await tx.lockConfig('rule', 'r1');
            expect(before?.version ?? 0).toBe(version - 1);
            const body = { name: `周六双倍 v${version}`, then: { multiplier: version + 1 } };
            await tx.putConfig({ kind: 'rule', id: 'r1', version, body, updatedBy: 'hq', updatedAt: 1000 + version });
            await tx.insertConfigVersion({
              kind: 'rule',
              id: 'r1',
              version,
              body,
              actor: 'hq',
              createdAt: 1000 + version,
            });
          });
        }
        expect(await store.configDocs('rule')).toEqual([
          {
            kind: 'rule',
            id: 'r1',
            version: 2,
            body: { name: '周六双倍 v2', then: { multiplier: 3 } },
            updatedBy: 'hq',
            updatedAt: 1002,
          },
        ]);
        expect((await store.configVersions('rule', 'r1')).map((v) => [v.version, v.body.name])).toEqual([
          [1, '周六双倍 v1'],
          [2, '周六双倍 v2'],
        ]);
        expect(await store.configDocs('tiers')).toEqual([]);
      });

      it('reads one document, or a range of ids, without the rest of its kind', async () => {
        const ids = ['Asia/Shanghai|day|2026-01', 'Asia/Shanghai|day|2026-02', 'Asia/Shanghai|day|2026-03', 'x'];
        await store.transaction(async (tx) => {
          for (const id of ids) {
            await tx.putConfig({
              kind: 'report_days',
              id,
              version: 1,
              body: { id },
              updatedBy: 'system',
              updatedAt: 1,
            });
          }
        });
        const read = async (from: string, to: string) =>
          (await store.configDocs('report_days', { from, to })).map((d) => d.id);
        expect(await read(ids[1]!, ids[1]!)).toEqual([ids[1]]);
        expect(await read('Asia/Shanghai|day|2026-02', 'Asia/Shanghai|day|2026-12')).toEqual(ids.slice(1, 3));
        expect(await read('Asia/Shanghai|day|2025-01', 'Asia/Shanghai|day|2025-12')).toEqual([]);
        expect((await store.configDocs('report_days')).map((d) => d.id)).toEqual(ids);
      });

      it('claims a nonce once per scope until it expires, and prunes expired ones', async () => {
        const claim = (scope: string, nonce: string, until: number, now: number) =>
          store.transaction((tx) => tx.claimNonce(scope, nonce, until, now));
        expect(await claim('ak_1', 'n-0123456789abcdef', 2_000, 1_000)).toBe(true);
        expect(await claim('ak_1', 'n-0123456789abcdef', 2_500, 1_500)).toBe(false);
        expect(await claim('ak_2', 'n-0123456789abcdef', 2_500, 1_500)).toBe(true);
        // Two claims of one new nonce at once: exactly one wins.
        const both = await Promise.all([claim('ak_1', 'n-race', 5_000, 1_000), claim('ak_1', 'n-race', 5_000, 1_000)]);
        expect(both.sort()).toEqual([false, true]);
        // Past its expiry a nonce may be taken again (its timestamp window is long gone).
        expect(await claim('ak_1', 'n-0123456789abcdef', 9_000, 3_000)).toBe(true);
        expect(await store.transaction((tx) => tx.deleteNoncesBefore(6_000, 10))).toBe(2);
        expect((await store.counts()).nonces).toBe(1);
      });

      it('refuses a second copy of a version', async () => {
        const v = { kind: 'rule' as const, id: 'r2', version: 1, body: {}, actor: 'hq', createdAt: 1 };
        await store.transaction((tx) => tx.insertConfigVersion(v));
        await expect(store.transaction((tx) => tx.insertConfigVersion(v))).rejects.toThrow();
        expect(await store.configVersions('rule', 'r2')).toHaveLength(1);
      });

      it('counters start at zero, add up per member and roll back with their transaction', async () => {
        const a = await f.member();
        const b = await f.member();
        await store.transaction((tx) => tx.addCounters(a, { 'rule:r1:2026-12-05': 30, 'growth:2026-12': 88 }));
        await store.transaction((tx) => tx.addCounters(a, { 'rule:r1:2026-12-05': 20 }));
        await store.transaction((tx) => tx.addCounters(b, { 'rule:r1:2026-12-05': 5 }));
        await expect(
          store.transaction(async (tx) => {
            await tx.addCounters(a, { 'growth:2026-12': 1000 });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        const read = (m: string) =>
          store.transaction((tx) => tx.counters(m, ['rule:r1:2026-12-05', 'growth:2026-12', 'never']));
        expect(await read(a)).toEqual({ 'rule:r1:2026-12-05': 50, 'growth:2026-12': 88, never: 0 });
        expect(await read(b)).toEqual({ 'rule:r1:2026-12-05': 5, 'growth:2026-12': 0, never: 0 });
      });

      it('stores a member’s growth, tier, tier period and birthday; finds the tiers whose period ended', async () => {
        const m = await f.member();
        await store.transaction(async (tx) => {
          await tx.setMemberTier(m, 1234, 'silver', 5000);
          await tx.setMemberBirthday(m, '1990-12-05');
        });
        const row = await store.transaction((tx) => tx.getMember(m));
        expect(row).toMatchObject({ growth: 1234, tier: 'silver', tierUntil: 5000, birthday: '1990-12-05' });
        expect(await store.membersWithTierDue(4999, null, 10)).not.toContain(m);
        expect(await store.membersWithTierDue(5000, null, 10)).toContain(m);
        expect(await store.membersWithTierDue(5000, m, 10)).not.toContain(m);
      });
    },
  );
}

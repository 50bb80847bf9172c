/**
 * Expiry policies and reminders on every backend: the yearly clearance date
 * a credit gets, a policy change that leaves old lots alone, reminders sent
 * once per member and reminder day, the expiry sweep run twice (the second
 * run changes nothing), and `me`'s next expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpiryPolicy } from '../../cloudfunctions/core/domain/expiry.js';
import { ExpiryPolicies } from '../../cloudfunctions/core/services/expiry-policy.js';
import { ExpiryReminders } from '../../cloudfunctions/core/services/expiry-reminders.js';
import { ExpirySweep } from '../../cloudfunctions/core/services/expiry-sweep.js';
import { Ledger } from '../../cloudfunctions/core/services/ledger.js';
import { EVERY_TOPIC } from '../../cloudfunctions/core/services/outbox-writer.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';
import { key, ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const sh = (iso: string) => Date.parse(`${iso}+08:00`);

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `expiry policies on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let f: LedgerFixture;
      let policy: ExpiryPolicy;
      let policies: ExpiryPolicies;
      let ledger: Ledger;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        f = ledgerFixture(store);
        policy = { ttlDays: 30, timeZone: TZ, yearly: null };
        policies = new ExpiryPolicies({ store, clock: () => f.clock.now, policy, defaultTtlDays: 30 });
        ledger = new Ledger({ store, clock: () => f.clock.now, expiry: policy });
      });
      afterAll(() => store?.close());

      const credit = (m: string, points: number, id: string) =>
        ledger.credit({ key: key(id), memberId: m, points, kind: 'adjust', counterparty: 'adjusted' });
      const lotsOf = async (m: string) => (await store.openLots(m)).map((l) => [l.remaining, l.expiresAt]);

      it('switching to a yearly clearance dates new credits at the end of clearOn next year; old lots keep theirs', async () => {
        const m = await f.member();
        f.clock.now = sh('2026-03-01T10:00:00');
        await credit(m, 10, `old-${backend.name}`);
        await policies.set('hq', { mode: 'yearly', days: 0, clearOn: '12-31', afterYears: 1, reminders: [30, 7, 1] });
        await credit(m, 20, `new-${backend.name}`);
        expect(await lotsOf(m)).toEqual([
          [10, sh('2026-03-31T23:59:59.999')],
          [20, sh('2027-12-31T23:59:59.999')],
        ]);
        // Another process sees the change on its next refresh.
        const elsewhere: ExpiryPolicy = { ttlDays: 30, timeZone: TZ, yearly: null };
        await new ExpiryPolicies({ store, clock: () => f.clock.now, policy: elsewhere, defaultTtlDays: 30 }).refresh();
        expect(elsewhere).toMatchObject({ ttlDays: 0, yearly: { clearOn: '12-31', afterYears: 1 } });
        await policies.set('hq', { mode: 'rolling', days: 30, clearOn: null, afterYears: null, reminders: [30, 7, 1] });
      });

      it('reminds each member once per reminder day, with the points and the date', async () => {
        const a = await f.member();
        const b = await f.member();
        f.clock.now = sh('2026-06-01T09:00:00');
        await credit(a, 40, `ra-${backend.name}`); // expires 2026-07-01
        await credit(b, 15, `rb-${backend.name}`);
        await credit(b, 5, `rb2-${backend.name}`);
        const reminders = new ExpiryReminders({
          store,
          clock: () => f.clock.now,
          timeZone: TZ,
          policies,
          outbox: EVERY_TOPIC,
        });
        f.clock.now = sh('2026-06-24T08:00:00'); // 7 days before
        await reminders.run();
        await reminders.run();
        f.clock.now = sh('2026-06-30T20:00:00'); // 1 day before
        await reminders.run();
        const sent = (await store.dueOutbox(Number.MAX_SAFE_INTEGER, 1000))
          .filter((o) => o.topic === 'points.expiring' && (o.memberId === a || o.memberId === b))
          .map((o) => [o.memberId === a ? 'a' : 'b', o.payload.daysLeft, o.payload.points, o.payload.expiresAt])
          .sort((x, y) => Number(y[1]) - Number(x[1]) || String(x[0]).localeCompare(String(y[0])));
        expect(sent).toEqual([
          ['a', 7, 40, '2026-07-01T23:59:59.999+08:00'],
          ['b', 7, 20, '2026-07-01T23:59:59.999+08:00'],
          ['a', 1, 40, '2026-07-01T23:59:59.999+08:00'],
          ['b', 1, 20, '2026-07-01T23:59:59.999+08:00'],
        ]);
      });

      it('the sweep expires each due lot once: a second run changes nothing, and the ledger verifies', async () => {
        const m = await f.member();
        f.clock.now = sh('2026-08-01T09:00:00');
        await credit(m, 7, `sw1-${backend.name}`);
        f.clock.now += 40 * DAY;
        const sweep = new ExpirySweep({ store, clock: () => f.clock.now, ledger });
        expect(await sweep.run()).toBeGreaterThanOrEqual(1);
        const events = (await store.counts()).events;
        expect(await sweep.run()).toBe(0);
        expect((await store.counts()).events).toBe(events);
        expect((await store.getAccount(m))!.balance).toBe(0);
        expect((await f.verify()).ok).toBe(true);
      });
    },
  );
}

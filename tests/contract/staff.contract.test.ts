/**
 * Till staff on every backend: the list narrowed to some stores or not,
 * newest first, revoked credentials still listed with when, and the store
 * and staff changes each audited beside the change itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffDirectory } from '../../cloudfunctions/core/services/staff.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `till staff on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let staff: StaffDirectory;
      const clock = { now: Date.parse('2026-12-03T10:00:00+08:00') };
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        staff = new StaffDirectory({ store, clock: () => clock.now });
      });
      afterAll(() => store?.close());

      it('lists staff by store, newest first, revoked ones with the time', async () => {
        for (const id of ['A', 'B', 'C']) await staff.createStore('op_1', { id, name: `店${id}`, region: '华东' });
        const made: Record<string, string> = {};
        for (const [name, storeId] of [
          ['王', 'A'],
          ['李', 'B'],
          ['张', 'A'],
          ['赵', 'C'],
        ] as const) {
          clock.now += 1_000;
          made[name] = (await staff.createStaff('op_1', { name, storeId, role: 'cashier' })).staff.id;
        }
        clock.now += 1_000;
        await staff.revoke('op_2', made['王']!);
        await expect(staff.revoke('op_2', made['王']!)).rejects.toMatchObject({ code: 'NOT_FOUND' });

        expect((await staff.list(null)).map((s) => s.name)).toEqual(['赵', '张', '李', '王']);
        const ab = await staff.list(new Set(['A', 'B']));
        expect(ab.map((s) => s.name)).toEqual(['张', '李', '王']);
        expect(ab.find((s) => s.name === '王')!.revokedAt).toBe(clock.now);
        expect(ab.every((s) => !('tokenHash' in s))).toBe(true);
        expect(await staff.list(new Set())).toEqual([]);

        const log = await store.auditLog({ from: null, to: null, actor: null, beforeId: null, limit: 50 });
        expect(log.map((e) => e.action).sort()).toEqual(
          [...Array(3).fill('store.create'), ...Array(4).fill('staff.create'), 'staff.revoke'].sort(),
        );
        expect(log.find((e) => e.action === 'staff.revoke')).toMatchObject({ actor: 'op_2', subject: made['王'] });
      });
    },
  );
}

/**
 * The audit reader on every backend: newest first, a time range with an
 * exclusive end, an actor, and pages by id that neither skip nor repeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `audit reader on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        for (let i = 0; i < 12; i++) {
          await store.transaction((tx) =>
            tx.insertAudit({
              actor: i % 3 === 0 ? 'op:li' : 'hq',
              action: 'member.freeze',
              subject: `m${i}`,
              detail: { n: i },
              createdAt: 1_000 * (i + 1),
            }),
          );
        }
      });
      afterAll(() => store?.close());
      const q = { from: null, to: null, actor: null, beforeId: null, limit: 100 };

      it('reads newest first, within [from, to), by actor', async () => {
        expect((await store.auditLog(q)).map((e) => e.subject)).toEqual(
          Array.from({ length: 12 }, (_, i) => `m${11 - i}`),
        );
        const range = await store.auditLog({ ...q, from: 3_000, to: 6_000 });
        expect(range.map((e) => e.detail.n)).toEqual([4, 3, 2]);
        const li = await store.auditLog({ ...q, actor: 'op:li', from: 2_000 });
        expect(li.map((e) => e.subject)).toEqual(['m9', 'm6', 'm3']);
      });

      it('pages by id without skipping or repeating', async () => {
        const seen: string[] = [];
        let beforeId: number | null = null;
        for (;;) {
          const page = await store.auditLog({ ...q, beforeId, limit: 5 });
          seen.push(...page.map((e) => e.subject));
          if (page.length < 5) break;
          beforeId = page.at(-1)!.id;
        }
        expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `m${11 - i}`));
      });
    },
  );
}

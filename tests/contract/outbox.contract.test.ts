/**
 * Claiming the outbox on every backend: one statement takes a batch of due
 * messages (pending → sending), oldest first; a message not yet due stays;
 * two dispatchers claiming at the same moment get disjoint batches. On
 * PostgreSQL the second claimer skips the rows the first holds (FOR UPDATE
 * SKIP LOCKED) instead of waiting for its commit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { OutboxMessage, Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';

/** How long the first claimer holds its transaction open when the second claimer cannot overtake it. */
const HOLD_MS = 400;

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `outbox claims on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
      });
      afterAll(() => store?.close());

      const T0 = 1_800_000_000_000;
      const add = (n: number, at: (i: number) => number, topic: string) =>
        store.transaction(async (tx) => {
          for (let i = 0; i < n; i++) {
            await tx.insertOutbox({ topic, memberId: null, payload: { i }, createdAt: at(i) });
          }
        });
      const ids = (ms: OutboxMessage[]) => ms.map((m) => m.id);

      it('claims due messages oldest first, marks them sending, leaves the future ones and never claims twice', async () => {
        await add(5, (i) => T0 + 1000 * (5 - i), 'a.due'); // inserted newest first
        await add(3, (i) => T0 + 60_000 + i, 'a.later');
        const now = T0 + 10_000;
        const first = await store.transaction((tx) => tx.claimDueOutbox(now, 3));
        expect(first.map((m) => m.createdAt)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
        expect(first.every((m) => m.status === 'sending' && m.topic === 'a.due')).toBe(true);
        const rest = await store.transaction((tx) => tx.claimDueOutbox(now, 10));
        expect(rest.map((m) => m.createdAt)).toEqual([T0 + 4000, T0 + 5000]);
        expect(await store.transaction((tx) => tx.claimDueOutbox(now, 10))).toEqual([]);
        expect(await store.dueOutbox(now, 10)).toEqual([]);
        const later = await store.transaction((tx) => tx.claimDueOutbox(T0 + 120_000, 10));
        expect(later.map((m) => m.topic)).toEqual(['a.later', 'a.later', 'a.later']);
      });

      it('lists one topic’s messages newest first, whatever their status (a webhook’s delivery log)', async () => {
        await store.transaction(async (tx) => {
          for (const [topic, i] of [
            ['log.a', 1],
            ['log.b', 2],
            ['log.a', 3],
          ] as const) {
            await tx.insertOutbox({ topic, memberId: null, payload: { i }, createdAt: 2 * T0 + i }); // not due: no claim takes them
          }
        });
        const listed = await store.outboxOfTopic('log.a', 10);
        expect(listed.map((m) => m.payload.i)).toEqual([3, 1]);
        expect(listed.every((m) => m.topic === 'log.a' && m.status === 'pending')).toBe(true);
        expect(await store.outboxOfTopic('log.a', 1)).toHaveLength(1);
      });

      it('a claim that rolls back leaves its messages pending', async () => {
        await add(2, (i) => T0 + 200_000 + i, 'b.due');
        const now = T0 + 300_000;
        await expect(
          store.transaction(async (tx) => {
            expect(await tx.claimDueOutbox(now, 10)).toHaveLength(2);
            throw new Error('dispatcher crashed before commit');
          }),
        ).rejects.toThrow('crashed');
        expect((await store.dueOutbox(now, 10)).map((m) => m.topic)).toEqual(['b.due', 'b.due']);
        expect(await store.transaction((tx) => tx.claimDueOutbox(now, 10))).toHaveLength(2);
      });

      it('two dispatchers claiming at once take disjoint batches', async () => {
        await add(40, (i) => T0 + 400_000 + i, 'c.due');
        const now = T0 + 500_000;
        let firstClaimed!: () => void;
        const claimedByFirst = new Promise<void>((resolve) => (firstClaimed = resolve));
        let secondDone = false;
        let releaseFirst!: () => void;
        const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
        let overtaken = false;

        const first = store.transaction(async (tx) => {
          const mine = await tx.claimDueOutbox(now, 15);
          firstClaimed();
          // Commit once the second claimer is done, or after HOLD_MS where it must wait for us (SQLite serializes).
          await Promise.race([firstMayCommit, new Promise((resolve) => setTimeout(resolve, HOLD_MS))]);
          overtaken ||= secondDone;
          return mine;
        });
        await claimedByFirst;
        const second = store
          .transaction((tx) => tx.claimDueOutbox(now, 15))
          .then((mine) => {
            secondDone = true;
            releaseFirst();
            return mine;
          });
        const [a, b] = await Promise.all([first, second]);
        expect(a).toHaveLength(15);
        expect(b).toHaveLength(15);
        expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
        const left = await store.transaction((tx) => tx.claimDueOutbox(now, 100));
        expect(new Set([...ids(a), ...ids(b), ...ids(left)]).size).toBe(40);
        // PostgreSQL's second claimer skipped the locked rows and finished while the first still held them.
        if (backend.name === 'postgres') expect(overtaken).toBe(true);
      });
    },
  );
}

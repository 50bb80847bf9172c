/** Invariants fail loudly (TIGER_STYLE): broken ones throw InvariantViolation and write nothing. */
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../cloudfunctions/core/domain/accounts.js';
import { assert, InvariantViolation, present } from '../../cloudfunctions/core/domain/assert.js';
import { planCapture, planCredit, planRelease } from '../../cloudfunctions/core/domain/postings.js';
import { complete } from '../../cloudfunctions/core/store/limits.js';
import { LockOrderViolation } from '../../cloudfunctions/core/store/lock-order.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { postToMember } from '../../cloudfunctions/core/services/posting.js';
import { grant, ledgerFixture } from '../support/ledger-fixture.js';

const account = (balance: number, held: number): AccountState => ({
  id: 'm',
  kind: 'member',
  balance,
  held,
  version: 1,
});

describe('assert and present', () => {
  it('pass what holds and stop what does not', () => {
    expect(() => assert(true, 'fine')).not.toThrow();
    expect(() => assert(false, 'broken')).toThrow(InvariantViolation);
    expect(present(0, 'zero is a value')).toBe(0);
    expect(() => present(null, 'a row that must exist')).toThrow(/a row that must exist/);
    expect(() => complete([1, 2, 3], 2, 'things')).toThrow(/things: more than 2/);
  });
});

describe('postings refuse a hold that is not part of held, instead of clamping it to zero', () => {
  it.each([
    ['release', () => planRelease(account(100, 10), 30)],
    ['capture', () => planCapture(account(100, 10), [{ id: 1, remaining: 100, expiresAt: null }], 30, 20)],
  ])('%s', (_name, plan) => expect(plan).toThrow(InvariantViolation));
});

describe('postToMember checks every plan before writing', () => {
  it('a plan whose balance does not add up, or that loses lots, writes nothing', async () => {
    const store = await openStore('sqlite::memory:');
    const f = ledgerFixture(store);
    const m = await f.member();
    await grant(f, m, 50, 'inv-fund');
    const before = await store.counts();
    const post = (planner: Parameters<typeof postToMember>[3]) =>
      store.transaction((tx) =>
        postToMember(
          tx,
          f.clock.now,
          {
            key: { source: 'test', externalId: `inv-${Math.random()}` },
            kind: 'adjust',
            memberId: m,
            counterparty: 'adjusted',
          },
          planner,
        ),
      );
    await expect(post((a) => ({ ...planCredit(a, 5), balanceAfter: a.balance + 6 }))).rejects.toThrow(
      InvariantViolation,
    );
    // A planner that reads the lots (two parameters) is held to them; one that does not may take none.
    await expect(post((a, _lots) => ({ ...planCredit(a, 5), newLot: 0 }))).rejects.toThrow(/open lots/);
    await expect(
      post((a) => ({ ...planCredit(a, 5), takes: [{ lotId: 1, take: 1, remainingAfter: 0 }] })),
    ).rejects.toThrow(/without the lots/);
    expect(await store.counts()).toEqual(before);
    expect((await f.verify()).problems).toEqual([]);
    await store.close();
  });
});

describe('the lock order check (on for every store the tests open)', () => {
  it('fails a transaction the moment it takes a lock before one it holds; re-locking and sorted locks pass', async () => {
    expect(process.env.JIFEN_CHECK_LOCK_ORDER).toBe('on');
    const store = await openStore('sqlite::memory:');
    const f = ledgerFixture(store);
    const [a, b] = [await f.member(), await f.member()].sort() as [string, string];
    await expect(
      store.transaction(async (tx) => {
        await tx.lockAccount(a);
        await tx.lockAccount(b);
        await tx.lockAccount(a); // held already
        await tx.addToSystemShard('sys:issued:0', 0);
      }),
    ).resolves.toBeUndefined();
    await expect(
      store.transaction(async (tx) => {
        await tx.lockAccount(a);
        await tx.lockOrder('alipay', 'O-1'); // an order after a member: another transaction may hold them the other way round
      }),
    ).rejects.toThrow(/lock order: order alipay:O-1 taken after account/);
    await expect(
      store.transaction(async (tx) => {
        await tx.lockAccount(b);
        await tx.lockAccount(a); // two members, not in id order
      }),
    ).rejects.toThrow(LockOrderViolation);
    await store.close();
  });
});

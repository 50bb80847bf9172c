/**
 * Property tests over random sequences of credits, debits, clawbacks, holds,
 * captures, releases, expiries and replays, run through the real services on
 * a real SQLite database. After every step: the ledger verifies (entries sum
 * to zero, balances equal entry sums, lots agree), and the available balance
 * only goes below zero by a clawback.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { available } from '../../cloudfunctions/core/domain/accounts.js';
import { DomainError } from '../../cloudfunctions/core/domain/errors.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { key, ledgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';

type Op =
  | { t: 'credit' | 'debit' | 'clawback' | 'hold'; m: number; n: number }
  | { t: 'capture'; h: number; n: number }
  | { t: 'release'; h: number }
  | { t: 'advance'; days: number }
  | { t: 'expire'; m: number }
  | { t: 'replay'; k: number };

const MEMBERS = 3;
const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const points = fc.integer({ min: 1, max: 60 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('credit' as const), m: member, n: points }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('debit' as const), m: member, n: points }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('clawback' as const), m: member, n: points }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('hold' as const), m: member, n: points }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('capture' as const), h: fc.nat(9), n: points }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), h: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('expire' as const), m: member }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), k: fc.nat(30) }) },
);

interface Run {
  f: LedgerFixture;
  members: string[];
  holds: string[];
  done: Array<() => Promise<unknown>>;
  seq: number;
}

async function apply(run: Run, o: Op): Promise<string | null> {
  const { f } = run;
  const k = key(`p-${run.seq++}`);
  const mv = (m: number, n: number) => ({ key: k, memberId: run.members[m]!, points: n });
  let action: (() => Promise<unknown>) | null = null;
  switch (o.t) {
    case 'credit':
      action = () => f.ledger.credit({ ...mv(o.m, o.n), kind: 'earn', counterparty: 'issued' });
      break;
    case 'debit':
      action = () => f.ledger.debit({ ...mv(o.m, o.n), kind: 'redeem', counterparty: 'redeemed' });
      break;
    case 'clawback':
      action = () => f.ledger.clawback({ ...mv(o.m, o.n), kind: 'refund', counterparty: 'issued' });
      break;
    case 'hold':
      action = async () => run.holds.push((await f.ledger.hold({ ...mv(o.m, o.n), ttlMs: 3 * 86_400_000 })).result.id);
      break;
    case 'capture':
      if (run.holds[o.h]) action = () => f.ledger.capture({ key: k, holdId: run.holds[o.h]!, points: o.n });
      break;
    case 'release':
      if (run.holds[o.h]) action = () => f.ledger.release({ key: k, holdId: run.holds[o.h]!, reason: 'void' });
      break;
    case 'advance':
      f.clock.now += o.days * 86_400_000;
      return null;
    case 'expire':
      action = () => f.ledger.expire(run.members[o.m]!);
      break;
    case 'replay':
      action = run.done[o.k] ?? null;
      break;
  }
  if (!action) return null;
  try {
    await action();
    if (o.t !== 'replay') run.done.push(action);
    return 'ok';
  } catch (e) {
    // Refusals are part of the game (not enough points, closed or expired hold); anything else is a bug.
    if (e instanceof DomainError && [409, 410, 400].includes(e.status)) return e.code;
    throw e;
  }
}

describe('ledger properties (SQLite, real services)', () => {
  it('every sequence keeps the ledger verified and never overdraws except by clawback', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const store = await openStore('sqlite::memory:');
        try {
          const f = ledgerFixture(store, 30);
          const run: Run = { f, members: [], holds: [], done: [], seq: 0 };
          for (let i = 0; i < MEMBERS; i++) run.members.push(await f.member(`prop-${i}`));
          for (const o of ops) {
            const before = await Promise.all(run.members.map((m) => store.getAccount(m)));
            await apply(run, o);
            const after = await Promise.all(run.members.map((m) => store.getAccount(m)));
            const report = await f.verify();
            expect(report.problems).toEqual([]);
            if (o.t !== 'clawback' && o.t !== 'replay') {
              after.forEach((a, i) => {
                const was = available(before[i]!);
                expect(available(a!)).toBeGreaterThanOrEqual(Math.min(was, 0));
              });
            }
            for (const a of after) expect(a!.held).toBeGreaterThanOrEqual(0);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 80 },
    );
  });
});

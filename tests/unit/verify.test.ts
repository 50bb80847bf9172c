import { describe, expect, it } from 'vitest';
import { verifyLedger, type AccountSummary, type LedgerSummary } from '../../cloudfunctions/core/domain/verify.js';

const member = (over: Partial<AccountSummary> = {}): AccountSummary => ({
  id: 'm1',
  kind: 'member',
  balance: 10,
  held: 0,
  entrySum: 10,
  lastBalanceAfter: 10,
  lotRemaining: 10,
  openHolds: 0,
  ...over,
});
const system = (balance: number): AccountSummary => ({
  id: 'sys:issued:0',
  kind: 'system',
  balance,
  held: 0,
  entrySum: balance,
  lastBalanceAfter: balance,
  lotRemaining: 0,
  openHolds: 0,
});
const summary = (accounts: AccountSummary[], extra: Partial<LedgerSummary> = {}): LedgerSummary => ({
  accounts,
  unbalancedEvents: [],
  brokenChains: [],
  memberDeltaMismatches: [],
  ...extra,
});

describe('verifyLedger', () => {
  it('accepts a consistent ledger and reports the liability', () => {
    const r = verifyLedger(summary([member(), system(-10)]));
    expect(r).toEqual({ ok: true, problems: [], totals: { members: 10, system: -10, liability: 10, accounts: 2 } });
  });

  it.each([
    ['a stored balance that differs from its entries', [member({ entrySum: 9 }), system(-10)], /entries sum to 9/],
    ['a newest entry that differs from the balance', [member({ lastBalanceAfter: 7 }), system(-10)], /newest entry/],
    ['lots that disagree with the balance', [member({ lotRemaining: 4 }), system(-10)], /lots hold 4/],
    ['held points without open holds', [member({ held: 3 }), system(-10)], /open holds total 0/],
    [
      'a debt that still has lots',
      [member({ balance: -2, entrySum: -2, lastBalanceAfter: -2, lotRemaining: 1 }), system(2)],
      /lots hold 1/,
    ],
    ['sides that do not cancel', [member(), system(-9)], /sum to 1/],
  ])('finds %s', (_name, accounts, problem) => {
    const r = verifyLedger(summary(accounts));
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(problem);
  });

  it('reports unbalanced events, broken chains and member delta mismatches', () => {
    const r = verifyLedger(
      summary([member(), system(-10)], {
        unbalancedEvents: [{ eventId: 4, sum: 2 }],
        brokenChains: [{ entryId: 9, accountId: 'm1' }],
        memberDeltaMismatches: [{ eventId: 5 }],
      }),
    );
    expect(r.problems).toEqual([
      'event 4: entries sum to 2',
      'entry 9 of m1: balance_after does not follow the previous entry',
      'event 5: recorded member delta differs from its entries',
    ]);
  });
});

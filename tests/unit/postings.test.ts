import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../cloudfunctions/core/domain/accounts.js';
import { DomainError } from '../../cloudfunctions/core/domain/errors.js';
import type { Lot } from '../../cloudfunctions/core/domain/lots.js';
import {
  planCapture,
  planClawback,
  planCredit,
  planDebit,
  planExpiry,
  planHold,
  planRelease,
} from '../../cloudfunctions/core/domain/postings.js';

const account = (balance: number, held = 0): AccountState => ({ id: 'm', kind: 'member', balance, held, version: 3 });
const lot = (id: number, remaining: number, expiresAt: number | null): Lot => ({ id, remaining, expiresAt });

describe('planCredit', () => {
  it('adds the points and makes them one lot', () => {
    expect(planCredit(account(10), 5)).toMatchObject({ delta: 5, balanceAfter: 15, newLot: 5, takes: [] });
  });

  it('repays a debt first: only what is left becomes a lot', () => {
    expect(planCredit(account(-30), 50)).toMatchObject({ delta: 50, balanceAfter: 20, newLot: 20 });
    expect(planCredit(account(-30), 10)).toMatchObject({ balanceAfter: -20, newLot: 0 });
  });

  it.each([0, -1, 1.5, Number.NaN, 2e9])('refuses %s points', (points) => {
    expect(() => planCredit(account(0), points)).toThrow(DomainError);
  });
});

describe('planDebit', () => {
  const lots = [lot(1, 10, null), lot(2, 10, 2000), lot(3, 10, 1000)];

  it('consumes the earliest-expiring lots first, never-expiring last', () => {
    const plan = planDebit(account(30), lots, 15);
    expect(plan).toMatchObject({ delta: -15, balanceAfter: 15 });
    expect(plan.takes).toEqual([
      { lotId: 3, take: 10, remainingAfter: 0 },
      { lotId: 2, take: 5, remainingAfter: 5 },
    ]);
  });

  it('never takes the available balance below zero, counting held points', () => {
    expect(() => planDebit(account(30, 20), lots, 11)).toThrow(/Only 10 points are available/);
    expect(planDebit(account(30, 20), lots, 10).balanceAfter).toBe(20);
  });

  it('refuses a member in debt', () => {
    const e = (() => {
      try {
        planDebit(account(-5), [], 1);
      } catch (err) {
        return err as DomainError;
      }
    })();
    expect(e?.code).toBe('INSUFFICIENT_POINTS');
    expect(e?.status).toBe(409);
    expect(e?.details).toEqual({ available: 0, wanted: 1, zh: '积分不足' });
  });
});

describe('planClawback', () => {
  it('takes back what is there and leaves the rest as debt', () => {
    const plan = planClawback(account(8), [lot(1, 8, null)], 20);
    expect(plan).toMatchObject({ delta: -20, balanceAfter: -12 });
    expect(plan.takes).toEqual([{ lotId: 1, take: 8, remainingAfter: 0 }]);
  });
});

describe('holds', () => {
  it('a hold lowers available, not the balance', () => {
    expect(planHold(account(50, 10), 40)).toMatchObject({ delta: 0, balanceAfter: 50, heldAfter: 50 });
    expect(() => planHold(account(50, 10), 41)).toThrow(/INSUFFICIENT|available/);
  });

  it('release gives the held points back', () => {
    expect(planRelease(account(50, 30), 20)).toMatchObject({ delta: 0, balanceAfter: 50, heldAfter: 10 });
  });

  it('capture spends up to the hold and frees the rest of it', () => {
    const plan = planCapture(account(50, 30), [lot(1, 50, null)], 30, 12);
    expect(plan).toMatchObject({ delta: -12, balanceAfter: 38, heldAfter: 0 });
    expect(() => planCapture(account(50, 30), [lot(1, 50, null)], 30, 31)).toThrow(/Cannot capture/);
  });

  it('capture is refused when a clawback took the held points away', () => {
    expect(() => planCapture(account(5, 30), [lot(1, 5, null)], 30, 10)).toThrow(/INSUFFICIENT|available/);
  });
});

describe('planExpiry', () => {
  const lots = [lot(1, 10, 1000), lot(2, 7, 5000), lot(3, 3, null)];

  it('expires only lots past their date', () => {
    const plan = planExpiry(account(20), lots, 1000)!;
    expect(plan).toMatchObject({ delta: -10, balanceAfter: 10 });
    expect(plan.takes).toEqual([{ lotId: 1, take: 10, remainingAfter: 0 }]);
  });

  it('has nothing to do before the date', () => {
    expect(planExpiry(account(20), lots, 999)).toBeNull();
  });

  it('leaves held points alone until the hold ends', () => {
    expect(planExpiry(account(20, 15), lots, 6000)).toMatchObject({ delta: -5, balanceAfter: 15 });
    expect(planExpiry(account(20, 20), lots, 6000)).toBeNull();
  });
});

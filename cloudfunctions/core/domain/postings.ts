/**
 * The money-like rules, once, as pure functions: given an account's state and
 * its open lots, say what a credit, debit, clawback, hold, capture, release or
 * expiry does to it. Services persist the plan; nothing here does I/O.
 */
import { available, type AccountState } from './accounts.js';
import { assertPoints } from './amounts.js';
import { assert } from './assert.js';
import { errors } from './errors.js';
import { consumeLots, expiredLots, sumRemaining, type Lot, type LotPart, type LotTake } from './lots.js';

export interface BalancePlan {
  /** Signed change of the account's balance (the member entry's amount). */
  delta: number;
  balanceAfter: number;
  heldAfter: number;
  /** Points of the new lot a credit creates (what is left after repaying debt); it expires as the posting says. */
  newLot: number;
  /** Lots a return recreates with the expiry the points had before they were spent. */
  returnedLots: LotPart[];
  takes: LotTake[];
}

export function planCredit(account: AccountState, amount: number): BalancePlan {
  assertPoints(amount);
  const repaid = Math.min(Math.max(0, -account.balance), amount);
  return {
    delta: amount,
    balanceAfter: account.balance + amount,
    heldAfter: account.held,
    newLot: amount - repaid,
    returnedLots: [],
    takes: [],
  };
}

/**
 * Spent points coming back (a cancelled voucher, a refunded till payment):
 * each part keeps the expiry it had when it was spent, so a return never
 * makes points live longer. A debt is repaid first, from the parts that
 * expire soonest, so the member keeps the longest-lived points.
 */
export function planReturn(account: AccountState, parts: readonly LotPart[]): BalancePlan {
  const amount = parts.reduce((sum, p) => sum + p.points, 0);
  assertPoints(amount);
  let debt = Math.min(Math.max(0, -account.balance), amount);
  const returnedLots: LotPart[] = [];
  for (const part of [...parts].sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity))) {
    const repaid = Math.min(debt, part.points);
    debt -= repaid;
    if (part.points > repaid) returnedLots.push({ points: part.points - repaid, expiresAt: part.expiresAt });
  }
  return {
    delta: amount,
    balanceAfter: account.balance + amount,
    heldAfter: account.held,
    newLot: 0,
    returnedLots,
    takes: [],
  };
}

/** A guarded debit: never takes the available balance below zero. */
export function planDebit(account: AccountState, lots: readonly Lot[], amount: number): BalancePlan {
  assertPoints(amount);
  const free = available(account);
  if (amount > free) throw errors.insufficientPoints(Math.max(0, free), amount);
  return spend(account, lots, amount, account.held);
}

/**
 * A refund clawback: takes back `amount` whatever is left, so the balance may
 * go negative (debt) when the member already spent the points.
 */
export function planClawback(account: AccountState, lots: readonly Lot[], amount: number): BalancePlan {
  assertPoints(amount);
  return spend(account, lots, amount, account.held);
}

export function planHold(account: AccountState, amount: number): BalancePlan {
  assertPoints(amount);
  const free = available(account);
  if (amount > free) throw errors.insufficientPoints(Math.max(0, free), amount);
  return noMove(account, account.held + amount);
}

export function planRelease(account: AccountState, holdAmount: number): BalancePlan {
  assert(account.held >= holdAmount, `an open hold of ${holdAmount} is part of held (${account.held})`);
  return noMove(account, account.held - holdAmount);
}

/** Capture up to the held amount; the rest of the hold is released. */
export function planCapture(
  account: AccountState,
  lots: readonly Lot[],
  holdAmount: number,
  amount: number,
): BalancePlan {
  assertPoints(amount);
  if (amount > holdAmount) {
    throw errors.validation(`Cannot capture ${amount} points from a hold of ${holdAmount}.`);
  }
  assert(account.held >= holdAmount, `an open hold of ${holdAmount} is part of held (${account.held})`);
  // A clawback since the hold may have taken the held points away.
  if (amount > account.balance) throw errors.insufficientPoints(Math.max(0, account.balance), amount);
  return spend(account, lots, amount, account.held - holdAmount);
}

/**
 * Expire what is past its date, but never the points an open hold reserves:
 * those stay until the hold is captured (FIFO takes them first) or released
 * (the next run expires them). Returns null when nothing is due.
 */
export function planExpiry(account: AccountState, lots: readonly Lot[], now: number): BalancePlan | null {
  const due = expiredLots(lots, now);
  const amount = Math.min(sumRemaining(due), Math.max(0, available(account)));
  if (amount === 0) return null;
  return spend(account, due, amount, account.held);
}

function spend(account: AccountState, lots: readonly Lot[], amount: number, heldAfter: number): BalancePlan {
  return {
    delta: -amount,
    balanceAfter: account.balance - amount,
    heldAfter,
    newLot: 0,
    returnedLots: [],
    takes: consumeLots(lots, amount),
  };
}

function noMove(account: AccountState, heldAfter: number): BalancePlan {
  return { delta: 0, balanceAfter: account.balance, heldAfter, newLot: 0, returnedLots: [], takes: [] };
}

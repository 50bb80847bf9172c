/**
 * The money-like rules, once, as pure functions: given an account's state and
 * its open lots, say what a credit, debit, clawback, hold, capture, release or
 * expiry does to it. Services persist the plan; nothing here does I/O.
 */
import { available, type AccountState } from './accounts.js';
import { assertPoints } from './amounts.js';
import { errors } from './errors.js';
import { consumeLots, expiredLots, sumRemaining, type Lot, type LotTake } from './lots.js';

export interface BalancePlan {
  /** Signed change of the account's balance (the member entry's amount). */
  delta: number;
  balanceAfter: number;
  heldAfter: number;
  /** Points of the new lot a credit creates (what is left after repaying debt). */
  newLot: number;
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
  return noMove(account, Math.max(0, account.held - holdAmount));
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
  // A clawback since the hold may have taken the held points away.
  if (amount > account.balance) throw errors.insufficientPoints(Math.max(0, account.balance), amount);
  return spend(account, lots, amount, Math.max(0, account.held - holdAmount));
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
    takes: consumeLots(lots, amount),
  };
}

function noMove(account: AccountState, heldAfter: number): BalancePlan {
  return { delta: 0, balanceAfter: account.balance, heldAfter, newLot: 0, takes: [] };
}

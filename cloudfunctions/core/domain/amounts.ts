import { errors } from './errors.js';

/** Largest points or fen amount one operation may carry; keeps sums far from 2^53. */
export const MAX_AMOUNT = 1_000_000_000;

export function assertPoints(points: number, what = 'points'): void {
  if (!Number.isSafeInteger(points) || points <= 0 || points > MAX_AMOUNT) {
    throw errors.validation(`${what} must be a whole number between 1 and ${MAX_AMOUNT}.`);
  }
}

/**
 * Invariants that must hold, checked where they are relied on (TIGER_STYLE):
 * a broken one stops the operation loudly instead of being papered over with
 * a `!` or a `Math.max(0, …)`. The transaction it happens in rolls back, the
 * caller gets 500 INTERNAL, and the log says which invariant broke.
 */
export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
}

export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new InvariantViolation(why);
}

/** A value a read inside the same transaction (or just before it) proved exists. */
export function present<T>(value: T | null | undefined, why: string): T {
  assert(value !== null && value !== undefined, why);
  return value;
}

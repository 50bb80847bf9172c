/** Retrying a transaction that lost a race to a concurrent writer. */
export const MAX_ATTEMPTS = 8;

export interface RetryBudget {
  attempts: number;
  /** The longest pause between two attempts; pauses double up to it, each a random part of it. */
  maxDelayMs: number;
}

/** Locking backends: a lost race is rare (a deadlock, a serialization failure), so a few quick retries. */
export const LOCKING_RETRIES: RetryBudget = { attempts: MAX_ATTEMPTS, maxDelayMs: 2 ** MAX_ATTEMPTS };

export async function withRetry<T>(
  attempt: () => Promise<T>,
  isTransient: (e: unknown) => boolean,
  budget: RetryBudget = LOCKING_RETRIES,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= budget.attempts || !isTransient(e)) throw e;
      // Jittered backoff so the racers do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** n, budget.maxDelayMs)));
    }
  }
}

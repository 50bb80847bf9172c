/** Retrying a transaction that lost a race to a concurrent writer. */
export const MAX_ATTEMPTS = 8;

export async function withRetry<T>(attempt: () => Promise<T>, isTransient: (e: unknown) => boolean): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (n >= MAX_ATTEMPTS || !isTransient(e)) throw e;
      // Jittered backoff so the racers do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** n));
    }
  }
}

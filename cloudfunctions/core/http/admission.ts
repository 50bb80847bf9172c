/**
 * At most `limit` payment notifications worked on at once by this server;
 * the rest wait their turn, first come first served, holding no CPU and no
 * database connection. Measured on PostgreSQL (issue 13): with 32
 * notifications in flight and nothing bounding them, a member's `GET /me`
 * waited behind all of them (p99 about 700 ms at 500 reads/s); at 8 it was
 * about 120 ms, for 5 % of the notifications' throughput. A platform
 * waits seconds for its answer and retries; a member looks at a spinner.
 */
export class Admission {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** `limit` 0: no bound. */
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit <= 0) return work();
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot take it first.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Work running, and work waiting (for tests and metrics). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}

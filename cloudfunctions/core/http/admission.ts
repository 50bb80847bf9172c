/**
 * At most `limit` payment notifications worked on at once by this server;
 * the rest wait their turn, first come first served, holding no CPU and no
 * database connection. Measured on PostgreSQL (issue 13): with 32
 * notifications in flight and nothing bounding them, a member's `GET /me`
 * waited behind all of them (p99 about 700 ms at 500 reads/s); at 8 it was
 * about 120 ms, for 5 % of the notifications' throughput. A platform
 * waits seconds for its answer and retries; a member looks at a spinner.
 *
 * A wait is bounded too: past `maxWaitMs` (a stalled database, a flood) the
 * notification is answered 503 at once, before the platform's own timeout,
 * so the platform retries later instead of the queue growing with work
 * nobody is waiting for any more.
 */
import { DomainError } from '../domain/errors.js';

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export const serverBusy = () =>
  new DomainError('SERVER_BUSY', 'Too many notifications are waiting; please retry.', 503);

export class Admission {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  /** `limit` 0: no bound. */
  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit <= 0) return work();
    if (this.active < this.limit) this.active++;
    else await this.queue();
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot take it first.
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit();
      } else this.active--;
    }
  }

  private queue(): Promise<void> {
    return new Promise<void>((admit, refuse) => {
      const waiter: Waiter = {
        admit,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          refuse(serverBusy());
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Work running, and work waiting (for tests). */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}

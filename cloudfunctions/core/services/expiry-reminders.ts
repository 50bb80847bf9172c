/**
 * Reminders before points expire (DESIGN "Lots and expiry"): for each
 * reminder day D (30, 7 and 1 by default), members with points expiring at
 * the end of the business day D days from today get one `points.expiring`
 * outbox message, with the points and the date. Once per member, D and
 * expiry day: a counter under the member's lock records that it was
 * written, so re-runs and concurrent runners never remind twice.
 */
import { nextExpiry } from '../domain/expiry.js';
import { isoInZone } from '../domain/time.js';
import { localParts } from '../domain/local-time.js';
import type { Store } from '../store/port.js';
import type { ExpiryPolicies } from './expiry-policy.js';
import type { OutboxWriter } from './outbox-writer.js';
import { DateTime } from 'luxon';

const PAGE = 100;

export class ExpiryReminders {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      timeZone: string;
      policies: ExpiryPolicies;
      outbox: OutboxWriter;
    },
  ) {}

  /** Where each reminder day's walk over members stopped: the next run goes on from there. */
  private readonly cursor = new Map<number, string>();

  /**
   * Up to `batch` members per reminder day, from where the last run stopped
   * (a walk that reaches the end starts over next time). Returns the most
   * members one reminder day looked at: `batch` means there may be more, so
   * a scheduler repeats it.
   */
  async run(batch = PAGE): Promise<number> {
    const now = this.deps.clock();
    const { reminders } = await this.deps.policies.settings();
    let seen = 0;
    for (const days of reminders) {
      const day = DateTime.fromMillis(now, { zone: this.deps.timeZone }).plus({ days });
      const from = day.startOf('day').toMillis();
      const to = day.endOf('day').toMillis();
      const members = await this.deps.store.membersWithLotsExpiring(from, to, this.cursor.get(days) ?? null, batch);
      for (const m of members) await this.remind(m, days, from, to, now);
      seen = Math.max(seen, members.length);
      if (members.length < batch) this.cursor.delete(days);
      else this.cursor.set(days, members[members.length - 1]!);
    }
    return seen;
  }

  private remind(memberId: string, days: number, from: number, to: number, now: number): Promise<boolean> {
    const key = `remind:${days}:${localParts(from + 1, this.deps.timeZone).date}`;
    return this.deps.store.transaction(async (tx) => {
      const account = await tx.lockAccount(memberId);
      if (!account) return false;
      if ((await tx.counters(memberId, [key]))[key]! > 0) return false;
      const due = (await tx.openLots(memberId)).filter(
        (l) => l.expiresAt !== null && l.expiresAt >= from && l.expiresAt <= to,
      );
      const next = nextExpiry(due);
      if (!next) return false;
      await tx.addCounters(memberId, { [key]: 1 });
      await this.deps.outbox.add(tx, {
        topic: 'points.expiring',
        memberId,
        payload: { points: next.points, expiresAt: isoInZone(next.at, this.deps.timeZone), daysLeft: days },
        createdAt: now,
      });
      return true;
    });
  }
}

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fit } from '../../cloudfunctions/core/wechat/subscribe-message.js';
import { expiringSoon, lotExpiry } from '../../cloudfunctions/core/domain/expiry.js';
import {
  DAY_MS,
  endOfBusinessDay,
  endOfBusinessDayUncached,
  endOfDayAfter,
  isoInZone,
} from '../../cloudfunctions/core/domain/time.js';
import { tierFor } from '../../cloudfunctions/core/domain/tiers.js';
import { requestHash } from '../../cloudfunctions/core/services/request-hash.js';

// 2026-11-25T17:30:00Z is already 2026-11-26 01:30 in Shanghai.
const LATE_UTC = Date.UTC(2026, 10, 25, 17, 30);

describe('business time', () => {
  it('formats instants with the business zone offset', () => {
    expect(isoInZone(LATE_UTC, 'Asia/Shanghai')).toBe('2026-11-26T01:30:00.000+08:00');
  });

  it('counts days in the business zone, not UTC', () => {
    expect(isoInZone(endOfBusinessDay(LATE_UTC, 0, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(
      '2026-11-26T23:59:59.999+08:00',
    );
    expect(isoInZone(endOfBusinessDay(LATE_UTC, 0, 'UTC'), 'UTC')).toBe('2026-11-25T23:59:59.999Z');
  });

  it('lots expire at the end of the business day ttlDays later, or never', () => {
    const at = lotExpiry(LATE_UTC, { ttlDays: 365, timeZone: 'Asia/Shanghai' })!;
    expect(isoInZone(at, 'Asia/Shanghai')).toBe('2027-11-26T23:59:59.999+08:00');
    expect(lotExpiry(LATE_UTC, { ttlDays: 0, timeZone: 'Asia/Shanghai' })).toBeNull();
  });

  it('sums what expires within the window and says when the first does', () => {
    const now = 0;
    const lots = [
      { id: 1, remaining: 5, expiresAt: 10 * DAY_MS },
      { id: 2, remaining: 7, expiresAt: 3 * DAY_MS },
      { id: 3, remaining: 9, expiresAt: 40 * DAY_MS },
      { id: 4, remaining: 1, expiresAt: null },
    ];
    expect(expiringSoon(lots, now)).toEqual({ points: 12, firstAt: 3 * DAY_MS });
    expect(expiringSoon(lots.slice(2), now)).toBeNull();
  });
});

describe('tiers', () => {
  it('places growth on the default ladder with the way to the next tier', () => {
    expect(tierFor(0)).toMatchObject({ code: 'bronze', next: { code: 'silver', growthNeeded: 1000 } });
    expect(tierFor(4999)).toMatchObject({ code: 'silver', next: { code: 'gold', growthNeeded: 1 } });
    expect(tierFor(20_000)).toMatchObject({ code: 'diamond', next: null });
  });
});

describe('requestHash', () => {
  it('ignores key order but not values', () => {
    expect(requestHash({ a: 1, b: 'x' })).toBe(requestHash({ b: 'x', a: 1 }));
    expect(requestHash({ a: 1, b: 'x' })).not.toBe(requestHash({ a: 2, b: 'x' }));
  });
});

describe('system account shards', () => {
  it('a member always posts to one shard, and members spread over all of them', async () => {
    const { shardFor, SYSTEM_SHARDS } = await import('../../cloudfunctions/core/domain/accounts.js');
    expect(shardFor('issued', 'm_abc')).toBe(shardFor('issued', 'm_abc'));
    const used = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const shard = shardFor('issued', `m_${i.toString(36)}x`);
      used.set(shard, (used.get(shard) ?? 0) + 1);
    }
    expect(used.size).toBe(SYSTEM_SHARDS);
    for (const n of used.values()) expect(n).toBeGreaterThan(4000 / SYSTEM_SHARDS / 2);
  });
});

describe('endOfBusinessDay, memoized per business day', () => {
  it('agrees with the uncached computation at every hour across DST changes and zones, in any order', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe'];
    const start = Date.UTC(2026, 2, 1); // March 2026: New York and London change clocks this month
    const hours = Array.from({ length: 24 * 75 }, (_, i) => start + i * 3_600_000 + ((i * 7919) % 3_600_000));
    const shuffled = [...hours].sort((a, b) => ((a * 2654435761) % 1000) - ((b * 2654435761) % 1000));
    for (const zone of zones) {
      for (const ms of [...hours, ...shuffled]) {
        for (const days of [0, 1, 365]) {
          expect(endOfBusinessDay(ms, days, zone), `${zone} ${new Date(ms).toISOString()} +${days}`).toBe(
            endOfBusinessDayUncached(ms, days, zone),
          );
        }
      }
    }
  });
});

describe('timestamps without luxon on the hot path', () => {
  const zones = ['Asia/Shanghai', 'Asia/Kathmandu', 'America/New_York', 'Europe/London', 'UTC', 'Australia/Lord_Howe'];
  // Every 97 minutes and some milliseconds through 2026: both DST changes of each zone that has them.
  const instants = Array.from(
    { length: 5_500 },
    (_, i) => Date.UTC(2026, 0, 1) + i * 97 * 60_000 + ((i * 7919) % 1000),
  );

  it('isoInZone writes what luxon writes, in every zone, at every instant (a zero offset included)', () => {
    for (const zone of zones) {
      for (const ms of instants) {
        expect(isoInZone(ms, zone), `${zone} ${ms}`).toBe(DateTime.fromMillis(ms, { zone }).toISO());
      }
    }
  });

  it("a subscribe message's time is luxon's yyyy-MM-dd HH:mm, and a bad zone is still refused", () => {
    for (const zone of zones) {
      for (const ms of instants.slice(0, 800)) {
        expect(fit.time(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm'));
      }
    }
    expect(() => fit.time(0, 'Mars/Olympus')).toThrow(/time zone/);
  });

  it("a tier's period end, memoized per day, agrees with luxon", () => {
    for (const zone of zones.slice(0, 4)) {
      for (const ms of instants.slice(0, 1_500)) {
        for (const months of [1, 12]) {
          expect(endOfDayAfter(ms, { months }, zone)).toBe(
            DateTime.fromMillis(ms, { zone }).plus({ months }).endOf('day').toMillis(),
          );
        }
      }
    }
  });
});

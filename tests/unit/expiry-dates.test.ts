/** Lot expiry dates under both policies, and the next expiry `me` shows. */
import { describe, expect, it } from 'vitest';
import { lotExpiry, nextExpiry, yearlyClearance } from '../../cloudfunctions/core/domain/expiry.js';

const sh = (iso: string) => Date.parse(`${iso}+08:00`);

describe('yearly clearance', () => {
  it.each([
    ['a credit early in the year', '2026-01-01T00:00:00', '12-31', 1, '2027-12-31T23:59:59.999'],
    ['the last second of the year (local)', '2026-12-31T23:59:59', '12-31', 1, '2027-12-31T23:59:59.999'],
    [
      'the first second of the next (local; still 2026 in UTC)',
      '2027-01-01T00:00:00',
      '12-31',
      1,
      '2028-12-31T23:59:59.999',
    ],
    ['a mid-year clearance two years on', '2026-08-01T10:00:00', '06-30', 2, '2028-06-30T23:59:59.999'],
    ['29 February in a year without one', '2026-05-05T10:00:00', '02-29', 1, '2027-02-28T23:59:59.999'],
    ['29 February in a leap year', '2027-05-05T10:00:00', '02-29', 1, '2028-02-29T23:59:59.999'],
  ])('%s', (_n, credited, clearOn, afterYears, expires) => {
    expect(yearlyClearance(sh(credited), { clearOn, afterYears }, 'Asia/Shanghai')).toBe(sh(expires));
  });

  it('is what lotExpiry gives when the policy is yearly, and rolling days otherwise', () => {
    const at = sh('2026-03-01T10:00:00');
    expect(lotExpiry(at, { ttlDays: 30, timeZone: 'Asia/Shanghai', yearly: { clearOn: '12-31', afterYears: 1 } })).toBe(
      sh('2027-12-31T23:59:59.999'),
    );
    expect(lotExpiry(at, { ttlDays: 30, timeZone: 'Asia/Shanghai' })).toBe(sh('2026-03-31T23:59:59.999'));
    expect(lotExpiry(at, { ttlDays: 0, timeZone: 'Asia/Shanghai' })).toBeNull();
  });
});

describe('next expiry', () => {
  it('sums the open lots of the earliest date and ignores spent and never-expiring ones', () => {
    expect(
      nextExpiry([
        { id: 1, remaining: 5, expiresAt: 300 },
        { id: 2, remaining: 7, expiresAt: 200 },
        { id: 3, remaining: 0, expiresAt: 100 },
        { id: 4, remaining: 9, expiresAt: null },
        { id: 5, remaining: 3, expiresAt: 200 },
      ]),
    ).toEqual({ points: 10, at: 200 });
    expect(nextExpiry([{ id: 1, remaining: 4, expiresAt: null }])).toBeNull();
  });
});

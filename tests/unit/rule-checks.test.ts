/** What operators are told before a rule goes live: refusals, warnings and conflicts between rules. */
import { describe, expect, it } from 'vitest';
import type { RuleBody } from '../../cloudfunctions/core/domain/earning-rules.js';
import { canOverlap, checkAgainst, checkRule } from '../../cloudfunctions/core/domain/rule-checks.js';

const body = (r: Partial<RuleBody> = {}): RuleBody => ({
  name: 'r',
  priority: 0,
  stacking: 'best',
  when: {},
  then: { multiplier: 2 },
  caps: {},
  ...r,
});
const TODAY = '2026-12-03';
const errorsOf = (r: Partial<RuleBody>) => checkRule(body(r), TODAY).errors.map((e) => e.path);
const warningsOf = (r: Partial<RuleBody>) => checkRule(body(r), TODAY).warnings.map((e) => e.path);

describe('one rule', () => {
  it('a plain rule passes', () => {
    expect(checkRule(body(), TODAY)).toEqual({ errors: [], warnings: [] });
  });
  it.each([
    ['a date that does not exist', { when: { dateFrom: '2026-02-30' } }, 'when.dateFrom'],
    ['a malformed date', { when: { dateTo: '12/31/2026' } }, 'when.dateTo'],
    ['an end before the start', { when: { dateFrom: '2026-12-10', dateTo: '2026-12-01' } }, 'when.dateTo'],
    [
      'weekdays that never fall in the dates (Sat–Sun of a Mon–Fri week)',
      { when: { dateFrom: '2026-12-07', dateTo: '2026-12-11', weekdays: [6, 7] } },
      'when.weekdays',
    ],
    ['amounts the wrong way round', { when: { minPaidFen: 500, maxPaidFen: 100 } }, 'when.maxPaidFen'],
    ['a time that is not one', { when: { timeFrom: '24:00' } }, 'when.timeFrom'],
    ['an empty time window', { when: { timeFrom: '10:00', timeTo: '10:00' } }, 'when.timeTo'],
    ['a weekday 0', { when: { weekdays: [0] } }, 'when.weekdays'],
    ['a cap below the bonus', { then: { bonus: 100 }, caps: { perMemberPerDay: 50 } }, 'caps.perMemberPerDay'],
  ] as [string, Partial<RuleBody>, string][])('refuses %s', (_n, r, path) => {
    expect(errorsOf(r)).toContain(path);
  });
  it('weekdays inside the dates pass', () => {
    expect(errorsOf({ when: { dateFrom: '2026-12-07', dateTo: '2026-12-12', weekdays: [6] } })).toEqual([]);
  });
  it('warns about a rule that already ended, caps on an exclusion, a multiplier below 1', () => {
    expect(warningsOf({ when: { dateTo: '2026-12-02' } })).toEqual(['when.dateTo']);
    expect(warningsOf({ then: { exclude: true }, caps: { perEvent: 1 } })).toEqual(['caps']);
    expect(warningsOf({ then: { multiplier: 0.5 } })).toEqual(['then.multiplier']);
  });
});

describe('rules together', () => {
  it('overlap unless one dimension cannot', () => {
    expect(canOverlap({}, {})).toBe(true);
    expect(canOverlap({ storeIds: ['S1'] }, { storeIds: ['S1', 'S2'] })).toBe(true);
    expect(canOverlap({ storeIds: ['S1'] }, { storeIds: ['S2'] })).toBe(false);
    expect(canOverlap({ weekdays: [6] }, { weekdays: [7] })).toBe(false);
    expect(canOverlap({ dateTo: '2026-12-01' }, { dateFrom: '2026-12-02' })).toBe(false);
    expect(canOverlap({ maxPaidFen: 100 }, { minPaidFen: 101 })).toBe(false);
    expect(canOverlap({ holidays: true }, { holidays: false })).toBe(false);
    expect(canOverlap({ channels: ['alipay'] }, { categories: ['tea'] })).toBe(true);
  });
  it('warns when rate rules on the same orders stack differently, and when an exclusion silences a rule', () => {
    const others = [
      { ...body({ name: '周六双倍', when: { weekdays: [6] } }), id: 'a' },
      { ...body({ name: '烟酒不积分', when: { categories: ['cigarettes'] }, then: { exclude: true } }), id: 'b' },
      { ...body({ name: '周日', when: { weekdays: [7] }, stacking: 'add' }), id: 'c' },
    ];
    const adding = checkAgainst(body({ stacking: 'add', when: { weekdays: [6] } }), others);
    expect(adding.map((p) => p.path)).toEqual(['stacking', 'when']);
    expect(adding[0]!.message).toContain('周六双倍');
    expect(checkAgainst(body({ stacking: 'best', when: { weekdays: [6], categories: ['tea'] } }), others)).toEqual([]);
  });
});

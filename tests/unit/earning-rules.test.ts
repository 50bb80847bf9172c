/**
 * The earning-rule evaluator, table-driven: every condition matching and not
 * matching, every action, both stackings, caps, exclusions, the tier
 * multiplier, and local midnight in Asia/Shanghai with the process in UTC.
 */
import { describe, expect, it } from 'vitest';
import {
  earn,
  type ActiveRule,
  type OrderFacts,
  type RuleBody,
} from '../../cloudfunctions/core/domain/earning-rules.js';
import { computeParts, localParts } from '../../cloudfunctions/core/domain/local-time.js';

const TZ = 'Asia/Shanghai';
/** Local Shanghai wall time → epoch ms (Shanghai has no DST: UTC+8). */
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
// 2026-12-05 is a Saturday.
const SAT_NOON = sh('2026-12-05T12:00:00');

let seq = 0;
const rule = (r: Partial<RuleBody> & Pick<RuleBody, 'then'>): ActiveRule => ({
  id: `r${++seq}`,
  version: 1,
  name: `rule ${seq}`,
  priority: 0,
  stacking: 'best',
  when: {},
  caps: {},
  ...r,
});
const order = (o: Partial<OrderFacts> = {}): OrderFacts => ({
  channel: 'wechatpay',
  storeId: 'S001',
  region: '华东',
  paidFen: 10_050,
  at: SAT_NOON,
  items: null,
  tier: 'bronze',
  birthday: null,
  ...o,
});
const ctx = { timeZone: TZ, holidays: new Set(['2026-10-01']) };
const points = (rules: ActiveRule[], o: Partial<OrderFacts> = {}, c: Partial<typeof ctx> & object = {}) =>
  earn(rules, order(o), { ...ctx, ...c }).points;

describe('the base rule', () => {
  it('is 1 point per whole yuan paid when no rule matches', () => {
    expect(points([])).toBe(100);
    expect(points([], { paidFen: 99 })).toBe(0);
    expect(points([], { paidFen: 0 })).toBe(0);
  });
});

describe('conditions: a double-points rule matches or leaves the base', () => {
  const double = (when: RuleBody['when']) => [rule({ when, then: { multiplier: 2 } })];
  it.each([
    ['channel', { channels: ['wechatpay'] }, {}, { channel: 'alipay' }],
    ['channel open', { channels: ['open'] }, { channel: 'open' }, { channel: 'wechatpay' }],
    ['store', { storeIds: ['S001'] }, {}, { storeId: 'S002' }],
    ['store unknown', { storeIds: ['S001'] }, {}, { storeId: null }],
    ['region', { regions: ['华东'] }, {}, { region: '华南' }],
    ['tier', { tiers: ['gold', 'bronze'] }, {}, { tier: 'silver' }],
    ['tier unknown (unclaimed)', { tiers: ['bronze'] }, {}, { tier: null }],
    ['min amount', { minPaidFen: 10_000 }, { paidFen: 10_000 }, { paidFen: 9_999 }],
    ['max amount', { maxPaidFen: 10_050 }, {}, { paidFen: 10_051 }],
    ['weekday (Saturday = 6)', { weekdays: [6] }, {}, { at: sh('2026-12-06T12:00:00') }],
    ['date from', { dateFrom: '2026-12-05' }, {}, { at: sh('2026-12-04T23:59:59') }],
    ['date to', { dateTo: '2026-12-05' }, {}, { at: sh('2026-12-06T00:00:00') }],
    ['time window', { timeFrom: '10:00', timeTo: '14:00' }, {}, { at: sh('2026-12-05T14:00:00') }],
    ['overnight window', { timeFrom: '22:00', timeTo: '02:00' }, { at: sh('2026-12-05T01:59:00') }, {}],
    ['birthday', { birthday: true }, { birthday: '1990-12-05' }, { birthday: '1990-12-06' }],
    ['birthday unknown', { birthday: true }, { birthday: '12-05' }, { birthday: null }],
    ['holiday', { holidays: true }, { at: sh('2026-10-01T09:00:00') }, {}],
    ['not a holiday', { holidays: false }, {}, { at: sh('2026-10-01T09:00:00') }],
    [
      'category',
      { categories: ['tea'] },
      { items: [{ category: 'tea', amountFen: 10_050 }] },
      { items: [{ category: 'cake', amountFen: 10_050 }] },
    ],
  ] as [string, RuleBody['when'], Partial<OrderFacts>, Partial<OrderFacts>][])('%s', (_name, when, yes, no) => {
    const base = Math.floor((no.paidFen ?? 10_050) / 100);
    expect(points(double(when), yes)).toBe(2 * Math.floor((yes.paidFen ?? 10_050) / 100));
    expect(points(double(when), no)).toBe(base);
  });

  it('every key at once must hold', () => {
    const all = double({ channels: ['wechatpay'], storeIds: ['S001'], weekdays: [6], minPaidFen: 100 });
    expect(points(all)).toBe(200);
    expect(points(all, { channel: 'alipay' })).toBe(100);
  });

  it('a 29 February birthday is kept on 28 February outside leap years', () => {
    const r = double({ birthday: true });
    expect(points(r, { birthday: '2000-02-29', at: sh('2027-02-28T10:00:00') })).toBe(200);
    expect(points(r, { birthday: '2000-02-29', at: sh('2028-02-28T10:00:00') })).toBe(100);
    expect(points(r, { birthday: '2000-02-29', at: sh('2028-02-29T10:00:00') })).toBe(200);
  });
});

describe('midnight in Asia/Shanghai, whatever the server zone', () => {
  it('23:59:59 on Friday is Friday; 00:00:00 is Saturday, though both are Friday in UTC', () => {
    const saturday = [rule({ when: { weekdays: [6] }, then: { bonus: 50 } })];
    const fri = sh('2026-12-04T23:59:59');
    const sat = sh('2026-12-05T00:00:00');
    expect(new Date(sat).getUTCDay()).toBe(5); // Friday 16:00 UTC
    expect(points(saturday, { at: fri })).toBe(100);
    expect(points(saturday, { at: sat })).toBe(150);
    expect(localParts(fri, TZ)).toMatchObject({ date: '2026-12-04', weekday: 5, minute: 1439 });
    expect(localParts(sat, TZ)).toMatchObject({ date: '2026-12-05', weekday: 6, minute: 0 });
  });
  it('a one-day promotion starts and ends at local midnight', () => {
    const day = [rule({ when: { dateFrom: '2026-12-12', dateTo: '2026-12-12' }, then: { multiplier: 3 } })];
    expect(points(day, { at: sh('2026-12-11T23:59:59') })).toBe(100);
    expect(points(day, { at: sh('2026-12-12T00:00:00') })).toBe(300);
    expect(points(day, { at: sh('2026-12-12T23:59:59') })).toBe(300);
    expect(points(day, { at: sh('2026-12-13T00:00:00') })).toBe(100);
  });
});

describe('actions', () => {
  it.each([
    ['multiplier 2', { multiplier: 2 }, 200],
    ['multiplier 1.5 (of the base: 100 → 150)', { multiplier: 1.5 }, 150],
    ['multiplier 1.25 rounds down', { multiplier: 1.25 }, 125],
    ['pointsPerYuan 3 replaces the base (per whole yuan)', { pointsPerYuan: 3 }, 300],
    ['pointsPerYuan 0.5 lowers it', { pointsPerYuan: 0.5 }, 50],
    ['bonus 88 on top of the base', { bonus: 88 }, 188],
  ] as [string, ActiveRule['then'], number][])('%s', (_n, then, expected) => {
    expect(points([rule({ then })])).toBe(expected);
  });
});

describe('stacking', () => {
  it('best-of takes the largest extra; the others are recorded with 0', () => {
    const a = rule({ then: { multiplier: 2 } });
    const b = rule({ then: { multiplier: 3 } });
    const r = earn([a, b], order(), ctx);
    expect(r.points).toBe(300);
    expect(r.applied).toEqual([
      { id: a.id, version: 1, points: 0 },
      { id: b.id, version: 1, points: 200 },
    ]);
  });
  it('additive rules each add their extra over the base', () => {
    const rules = [
      rule({ stacking: 'add', then: { multiplier: 2 } }),
      rule({ stacking: 'add', then: { multiplier: 3 } }),
    ];
    expect(points(rules)).toBe(100 + 100 + 200);
  });
  it('best and add together: the best extra plus every additive extra, bonuses on top', () => {
    const rules = [
      rule({ then: { multiplier: 2 } }),
      rule({ then: { multiplier: 4 } }),
      rule({ stacking: 'add', then: { multiplier: 1.5 } }),
      rule({ then: { bonus: 10 } }),
      rule({ then: { bonus: 5 } }),
    ];
    expect(points(rules)).toBe(100 + 300 + 50 + 15);
  });
  it('a tie goes to the higher priority', () => {
    const low = rule({ priority: 1, then: { multiplier: 2 } });
    const high = rule({ priority: 9, then: { pointsPerYuan: 2 } });
    const r = earn([low, high], order({ paidFen: 10_000 }), ctx);
    expect(r.applied.find((a) => a.points > 0)?.id).toBe(high.id);
  });
  it('never goes below zero', () => {
    expect(points([rule({ stacking: 'add', then: { pointsPerYuan: 0 } })])).toBe(0);
  });
});

describe('caps', () => {
  it('per event caps a rule’s extra, not the base', () => {
    expect(points([rule({ then: { multiplier: 10 }, caps: { perEvent: 500 } })])).toBe(100 + 500);
    expect(points([rule({ then: { bonus: 300 }, caps: { perEvent: 300 } })])).toBe(400);
  });
  it('per member per day and per month count what the rule already gave in that local day and month', () => {
    const r = rule({ then: { multiplier: 2 }, caps: { perMemberPerDay: 150, perMemberPerMonth: 1000 } });
    const seen: string[] = [];
    const usage = (id: string, period: 'day' | 'month', key: string) => {
      seen.push(`${id}/${period}/${key}`);
      return period === 'day' ? 120 : 0;
    };
    expect(earn([r], order(), { ...ctx, usage }).points).toBe(100 + 30);
    expect(seen).toEqual([`${r.id}/day/2026-12-05`, `${r.id}/month/2026-12`]);
    const monthFull = () => 1000;
    expect(earn([r], order(), { ...ctx, usage: monthFull }).points).toBe(100);
  });
});

describe('exclusions', () => {
  it('a store that earns nothing: no base, no other rule', () => {
    const rules = [rule({ when: { storeIds: ['S009'] }, then: { exclude: true } }), rule({ then: { bonus: 50 } })];
    expect(points(rules, { storeId: 'S009' })).toBe(0);
    expect(points(rules, { storeId: 'S001' })).toBe(150);
  });
  it('a category that earns nothing comes off the amount; category rules cover their own items only', () => {
    const items = [
      { category: 'cigarettes', amountFen: 5_000 },
      { category: 'tea', amountFen: 3_000 },
      { category: 'cake', amountFen: 2_050 },
    ];
    const rules = [
      rule({ when: { categories: ['cigarettes'] }, then: { exclude: true } }),
      rule({ when: { categories: ['tea'] }, then: { multiplier: 2 } }),
    ];
    const r = earn(rules, order({ items }), ctx);
    expect(r.base).toBe(50); // 100.50 − 50.00 yuan
    expect(r.points).toBe(50 + 30);
  });
});

describe('the tier multiplier', () => {
  it('scales the rate points, not bonuses', () => {
    const rules = [rule({ then: { multiplier: 2 } }), rule({ then: { bonus: 10 } })];
    const r = earn(rules, order(), { ...ctx, tierMultiplier: 1.5 });
    expect(r.points).toBe(300 + 10);
    expect(r.applied).toContainEqual({ id: 'tier', version: 0, points: 100 });
  });
});

describe('local parts by offset arithmetic', () => {
  it('agree with Intl every 7 minutes over two years, in a zone without DST and in zones with it', () => {
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'UTC']) {
      const wrong: string[] = [];
      const start = Date.parse('2026-01-01T00:00:00Z');
      for (let t = start; t < start + 2 * 365 * 86_400_000; t += 7 * 60_000 + 13_000) {
        const fast = localParts(t, zone);
        const slow = computeParts(t, zone);
        if (JSON.stringify(fast) !== JSON.stringify(slow)) wrong.push(`${zone} ${new Date(t).toISOString()}`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    }
  });
});

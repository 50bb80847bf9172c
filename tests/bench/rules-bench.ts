/**
 * Rule evaluation per order (domain/earning-rules.ts) with 50 active rules
 * of every kind, against the same orders with no rules (the base rule) in
 * the same run. Pure CPU: no storage, so the figure is what the evaluator
 * adds to each payment.
 */
import { earn, type ActiveRule, type OrderFacts } from '../../cloudfunctions/core/domain/earning-rules.js';
import type { Row } from './stats.js';

const TZ = 'Asia/Shanghai';
const CATEGORIES = ['tea', 'cake', 'coffee', 'bread', 'fruit'];

/** 50 rules over every condition and action, a tenth of them capped. */
export function fiftyRules(): ActiveRule[] {
  return Array.from({ length: 50 }, (_, i): ActiveRule => {
    const when: ActiveRule['when'] = {};
    if (i % 2 === 0) when.channels = ['wechatpay', 'alipay'];
    if (i % 3 === 0) when.storeIds = [`S${String(i % 10).padStart(3, '0')}`, 'S001'];
    if (i % 5 === 0) when.weekdays = [1 + (i % 7), 6];
    if (i % 7 === 0) Object.assign(when, { timeFrom: '10:00', timeTo: '22:00' });
    if (i % 4 === 0) Object.assign(when, { dateFrom: '2026-01-01', dateTo: '2027-12-31' });
    if (i % 6 === 0) when.categories = [CATEGORIES[i % CATEGORIES.length]!];
    if (i % 9 === 0) when.tiers = ['silver', 'gold'];
    if (i % 11 === 0) when.minPaidFen = 5000;
    const then: ActiveRule['then'] =
      i % 10 === 9
        ? { exclude: true }
        : i % 3 === 1
          ? { bonus: 5 + i }
          : i % 3 === 2
            ? { pointsPerYuan: 1.5 }
            : { multiplier: 2 };
    if ('exclude' in then) when.categories = ['cigarettes'];
    return {
      id: `rule-${i}`,
      version: 1,
      name: `rule ${i}`,
      priority: i % 5,
      stacking: i % 4 === 0 ? 'add' : 'best',
      when,
      then,
      caps: i % 10 === 0 ? { perEvent: 500, perMemberPerDay: 1000 } : {},
    };
  });
}

function orders(n: number): OrderFacts[] {
  const start = Date.parse('2026-12-01T00:00:00+08:00');
  return Array.from({ length: n }, (_, i) => ({
    channel: i % 3 === 0 ? 'alipay' : 'wechatpay',
    storeId: `S${String(i % 12).padStart(3, '0')}`,
    region: null,
    paidFen: 500 + ((i * 7919) % 50_000),
    at: start + ((i * 104_729) % (14 * 86_400_000)),
    items:
      i % 2 === 0
        ? [
            { category: CATEGORIES[i % 5]!, amountFen: 300 },
            { category: 'cigarettes', amountFen: 200 },
          ]
        : null,
    tier: i % 4 === 0 ? 'silver' : 'bronze',
    birthday: null,
  }));
}

function time(name: string, rules: ActiveRule[], input: OrderFacts[], note: string): Row & { checksum: number } {
  const ctx = { timeZone: TZ, holidays: new Set<string>(), usage: () => 0 };
  for (const o of input.slice(0, 2000)) earn(rules, o, ctx); // warm up the JIT and the zone formatter
  const latencies: number[] = [];
  let checksum = 0;
  const started = performance.now();
  for (const o of input) {
    const t0 = performance.now();
    checksum += earn(rules, o, ctx).points;
    latencies.push((performance.now() - t0) * 1000);
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    name,
    ops: input.length,
    ok: input.length,
    opsPerSec: (input.length / elapsed) * 1000,
    // Microseconds in this table's ms columns would mislead: the note says µs.
    p50: pct(50) / 1000,
    p95: pct(95) / 1000,
    p99: pct(99) / 1000,
    max: latencies[latencies.length - 1]! / 1000,
    note,
    checksum,
  };
}

export function benchRules(n = 100_000): { rows: Row[]; summary: string; perOrderUs: { base: number; fifty: number } } {
  const input = orders(n);
  const base = time('rule evaluation: no rules (base)', [], input, 'the base rule only');
  const fifty = time('rule evaluation: 50 active rules', fiftyRules(), input, 'every condition and action, caps');
  const us = (r: Row) => 1e6 / r.opsPerSec;
  const summary = `rule evaluation per order: ${us(fifty).toFixed(1)} µs with 50 rules, ${us(base).toFixed(1)} µs with none (${(us(fifty) / us(base)).toFixed(1)} ×); p99 ${(fifty.p99 * 1000).toFixed(1)} µs`;
  return { rows: [base, fifty], summary, perOrderUs: { base: us(base), fifty: us(fifty) } };
}

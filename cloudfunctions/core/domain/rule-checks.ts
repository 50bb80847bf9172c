/**
 * What an operator gets told before a rule goes live. Errors refuse the
 * save or the publish; warnings are shown and allowed.
 * - A rule on its own: dates that exist and are in order, a date range
 *   that contains one of its weekdays, amounts in order, a time window that
 *   is not empty, a cap that leaves room for the bonus.
 * - A rule against the other active ones: two rate rules that can match the
 *   same order with different stacking (one `best`, one `add`) give a total
 *   nobody intended; an exclusion that overlaps a rate or bonus rule
 *   silences it.
 */
import { minuteOf } from './local-time.js';
import type { RuleBody, RuleWhen } from './earning-rules.js';

export interface RuleProblem {
  /** Where in the rule, e.g. "when.dateTo". */
  path: string;
  message: string;
}

export interface RuleReport {
  errors: RuleProblem[];
  warnings: RuleProblem[];
}

const DAY_MS = 86_400_000;

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** ISO weekdays (1–7) of the dates from..to, stopping once all seven are seen. */
function weekdaysBetween(from: string, to: string): Set<number> {
  const seen = new Set<number>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && seen.size < 7; t += DAY_MS) {
    seen.add(((new Date(t).getUTCDay() + 6) % 7) + 1);
  }
  return seen;
}

export function checkRule(rule: RuleBody, today: string): RuleReport {
  const errors: RuleProblem[] = [];
  const warnings: RuleProblem[] = [];
  const w = rule.when;
  for (const key of ['dateFrom', 'dateTo'] as const) {
    if (w[key] !== undefined && !isRealDate(w[key]!)) {
      errors.push({ path: `when.${key}`, message: `${w[key]} is not a date that exists (YYYY-MM-DD).` });
    }
  }
  const datesOk = errors.length === 0;
  if (datesOk && w.dateFrom && w.dateTo && w.dateFrom > w.dateTo) {
    errors.push({ path: 'when.dateTo', message: `The rule ends (${w.dateTo}) before it starts (${w.dateFrom}).` });
  } else if (datesOk && w.dateFrom && w.dateTo && w.weekdays?.length) {
    const days = weekdaysBetween(w.dateFrom, w.dateTo);
    if (!w.weekdays.some((d) => days.has(d))) {
      errors.push({
        path: 'when.weekdays',
        message: `None of the weekdays ${w.weekdays.join(', ')} falls between ${w.dateFrom} and ${w.dateTo}: the rule would never apply.`,
      });
    }
  }
  if (datesOk && w.dateTo && w.dateTo < today) {
    warnings.push({ path: 'when.dateTo', message: `The rule ended on ${w.dateTo}; it will not apply to new orders.` });
  }
  if (w.minPaidFen !== undefined && w.maxPaidFen !== undefined && w.minPaidFen > w.maxPaidFen) {
    errors.push({ path: 'when.maxPaidFen', message: 'The highest amount is below the lowest: no order matches.' });
  }
  for (const key of ['timeFrom', 'timeTo'] as const) {
    if (w[key] !== undefined && minuteOf(w[key]!) === null) {
      errors.push({ path: `when.${key}`, message: `${w[key]} is not a time of day (HH:mm, 00:00–23:59).` });
    }
  }
  if (w.timeFrom && w.timeTo && w.timeFrom === w.timeTo) {
    errors.push({ path: 'when.timeTo', message: 'The time window starts and ends at the same minute: it is empty.' });
  }
  if (w.weekdays?.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    errors.push({ path: 'when.weekdays', message: 'Weekdays are 1 (Monday) to 7 (Sunday).' });
  }
  const t = rule.then;
  if ('bonus' in t) {
    for (const cap of ['perEvent', 'perMemberPerDay', 'perMemberPerMonth'] as const) {
      const c = rule.caps[cap];
      if (c !== undefined && c < t.bonus) {
        errors.push({
          path: `caps.${cap}`,
          message: `The cap (${c}) is below the bonus (${t.bonus}): the bonus could never be paid in full.`,
        });
      }
    }
  }
  if ('exclude' in t && Object.keys(rule.caps).length > 0) {
    warnings.push({ path: 'caps', message: 'An exclusion gives no points: its caps do nothing.' });
  }
  if ('multiplier' in t && t.multiplier < 1) {
    warnings.push({ path: 'then.multiplier', message: 'A multiplier below 1 gives less than the base rate.' });
  }
  return { errors, warnings };
}

/** Whether two conditions can hold for one order: false only when some dimension cannot overlap. */
export function canOverlap(a: RuleWhen, b: RuleWhen): boolean {
  const disjoint = <T>(x?: T[], y?: T[]) => Boolean(x?.length && y?.length && !x.some((v) => y.includes(v)));
  if (disjoint(a.channels, b.channels) || disjoint(a.storeIds, b.storeIds) || disjoint(a.regions, b.regions)) {
    return false;
  }
  if (disjoint(a.tiers, b.tiers) || disjoint(a.weekdays, b.weekdays) || disjoint(a.categories, b.categories)) {
    return false;
  }
  if (a.holidays !== undefined && b.holidays !== undefined && a.holidays !== b.holidays) return false;
  const apart = (fromA?: number | string, toA?: number | string, fromB?: number | string, toB?: number | string) =>
    (toA !== undefined && fromB !== undefined && toA < fromB) ||
    (toB !== undefined && fromA !== undefined && toB < fromA);
  if (apart(a.minPaidFen, a.maxPaidFen, b.minPaidFen, b.maxPaidFen)) return false;
  if (apart(a.dateFrom, a.dateTo, b.dateFrom, b.dateTo)) return false;
  return true;
}

const isRate = (r: RuleBody) => 'multiplier' in r.then || 'pointsPerYuan' in r.then;

/** Warnings for `rule` (named `name`) among the other active rules. */
export function checkAgainst(rule: RuleBody, others: readonly (RuleBody & { id: string })[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const o of others) {
    if (!canOverlap(rule.when, o.when)) continue;
    if (isRate(rule) && isRate(o) && rule.stacking !== o.stacking) {
      out.push({
        path: 'stacking',
        message: `Can match the same orders as "${o.name}" (${o.id}) but stacks "${rule.stacking}" where it stacks "${o.stacking}": the best-of rule and the additive one both apply.`,
      });
    }
    if ('exclude' in rule.then !== 'exclude' in o.then) {
      const [ex, other] = 'exclude' in rule.then ? [rule.name, o.name] : [o.name, rule.name];
      out.push({
        path: 'when',
        message: `The exclusion "${ex}" covers some orders of "${other}": there "${other}" gives nothing.`,
      });
    }
  }
  return out;
}

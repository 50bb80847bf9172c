/**
 * Earning rules as data (DESIGN "Earning rules"), evaluated by one pure
 * function: what an order earns, and which rule versions made it so.
 *
 * - The base: 1 point per whole yuan of what the order earns on (what was
 *   paid, less the categories an exclusion rule removes).
 * - Rate rules (`multiplier`, `pointsPerYuan`) each compute the points for
 *   the amount they cover (their categories' items, or the whole earning
 *   amount) and the extra over the base for that amount. Among `best`
 *   rules the largest extra wins (ties: higher priority, then lower id);
 *   every `add` rule adds its extra.
 * - Bonus rules add fixed points on top.
 * - Exclusion rules (`exclude`): with categories, those items earn nothing;
 *   without, the whole order earns nothing and no other rule applies.
 * - Caps bound one rule's contribution: per event, per member per local day
 *   and per local month (the usage so far comes from the caller).
 * - A tier's earning multiplier scales the rate points (base and extras);
 *   bonuses are not multiplied.
 *
 * Rates have at most two decimals and are kept as hundredths, so every
 * product is an exact integer before the single floor.
 */
import { localParts, minuteOf, type LocalParts } from './local-time.js';

export type RuleChannel = 'wechatpay' | 'alipay' | 'open';
export const RULE_CHANNELS: readonly RuleChannel[] = ['wechatpay', 'alipay', 'open'];

export interface RuleWhen {
  channels?: RuleChannel[];
  storeIds?: string[];
  regions?: string[];
  tiers?: string[];
  minPaidFen?: number;
  maxPaidFen?: number;
  /** 1 = Monday … 7 = Sunday, in the business zone. */
  weekdays?: number[];
  /** "HH:mm" local; a window with timeFrom > timeTo runs over midnight. timeTo is exclusive. */
  timeFrom?: string;
  timeTo?: string;
  /** "YYYY-MM-DD" local, both inclusive. */
  dateFrom?: string;
  dateTo?: string;
  /** Only on the member's birthday (a 29 February birthday is kept on 28 February in other years). */
  birthday?: boolean;
  /** Only on (true) or never on (false) a date of the holiday calendar. */
  holidays?: boolean;
  /** Order line items of these categories; the rule covers their amount only. */
  categories?: string[];
}

export type RuleThen = { multiplier: number } | { pointsPerYuan: number } | { bonus: number } | { exclude: true };

export interface RuleCaps {
  perEvent?: number;
  perMemberPerDay?: number;
  perMemberPerMonth?: number;
}

export interface RuleBody {
  name: string;
  priority: number;
  stacking: 'best' | 'add';
  when: RuleWhen;
  then: RuleThen;
  caps: RuleCaps;
}

export interface ActiveRule extends RuleBody {
  id: string;
  version: number;
}

export interface OrderItem {
  sku?: string;
  category: string;
  quantity?: number;
  amountFen: number;
}

export interface OrderFacts {
  channel: RuleChannel;
  storeId: string | null;
  region: string | null;
  paidFen: number;
  at: number;
  items?: readonly OrderItem[] | null;
  /** The member's tier code; null when nobody is known yet (the points wait for a claim). */
  tier: string | null;
  /** "MM-DD" or "YYYY-MM-DD"; null when unknown. */
  birthday: string | null;
}

export type CapPeriod = 'day' | 'month';

export interface EarningContext {
  timeZone: string;
  /** "YYYY-MM-DD" dates of the holiday calendar. */
  holidays: ReadonlySet<string>;
  /** The member's tier multiplier (1 = none). */
  tierMultiplier?: number;
  /** Points this rule already gave the member in this local day or month (0 when nobody is known). */
  usage?: (ruleId: string, period: CapPeriod, key: string) => number;
}

export interface AppliedRule {
  id: string;
  version: number;
  points: number;
}

export interface Earned {
  points: number;
  /** 1 point per whole yuan of the earning amount. */
  base: number;
  /** Every rule that matched, with what it added (0 when capped out or outdone). */
  applied: AppliedRule[];
  /** The local day and month the caps counted in. */
  day: string;
  month: string;
}

/** Hundredths of a rate: 1.5 → 150. */
export const hundredths = (rate: number) => Math.round(rate * 100);

/** Points for whole yuan at a rate: "double points" is twice what the base gives, never more. */
const yuanPoints = (fen: number, rateHundredths = 100) => Math.floor((Math.floor(fen / 100) * rateHundredths) / 100);

export function earn(rules: readonly ActiveRule[], order: OrderFacts, ctx: EarningContext): Earned {
  const local = localParts(order.at, ctx.timeZone);
  const matched = rules.filter((r) => matches(r.when, order, local, ctx)).sort(byPriority);
  const applied: AppliedRule[] = [];
  const result = (points: number, base: number): Earned => ({
    points: Math.max(0, points),
    base,
    applied,
    day: local.date,
    month: local.month,
  });

  // Exclusions first: a whole-order exclusion ends it; category ones shrink what earns.
  const excludedCategories = new Set<string>();
  for (const r of matched) {
    if (!('exclude' in r.then)) continue;
    applied.push({ id: r.id, version: r.version, points: 0 });
    if (!r.when.categories?.length) return result(0, 0);
    for (const c of r.when.categories) excludedCategories.add(c);
  }
  const items = (order.items ?? []).filter((i) => !excludedCategories.has(i.category));
  const excludedFen = (order.items ?? []).reduce(
    (s, i) => s + (excludedCategories.has(i.category) ? i.amountFen : 0),
    0,
  );
  const earningFen = Math.max(0, order.paidFen - excludedFen);
  const coveredFen = (r: ActiveRule) =>
    r.when.categories?.length
      ? Math.min(
          earningFen,
          items.filter((i) => r.when.categories!.includes(i.category)).reduce((s, i) => s + i.amountFen, 0),
        )
      : earningFen;
  const base = yuanPoints(earningFen);

  const capped = (r: ActiveRule, points: number) => (points > 0 ? Math.min(points, room(r, local, ctx)) : points);
  let best: { rule: ActiveRule; extra: number } | null = null;
  let added = 0;
  const rateEntries: AppliedRule[] = [];
  for (const r of matched) {
    if (!('multiplier' in r.then) && !('pointsPerYuan' in r.then)) continue;
    const rate = 'multiplier' in r.then ? hundredths(r.then.multiplier) : hundredths(r.then.pointsPerYuan);
    const fen = coveredFen(r);
    const extra = capped(r, yuanPoints(fen, rate) - yuanPoints(fen));
    const entry = { id: r.id, version: r.version, points: 0 };
    rateEntries.push(entry);
    if (r.stacking === 'add') {
      entry.points = extra;
      added += extra;
    } else if (!best || extra > best.extra) {
      best = { rule: r, extra };
    }
  }
  if (best) rateEntries.find((e) => e.id === best!.rule.id)!.points = best.extra;
  const ratePoints = base + (best?.extra ?? 0) + added;
  const multiplier = hundredths(ctx.tierMultiplier ?? 1);
  const tierPoints = ratePoints > 0 ? Math.floor((ratePoints * multiplier) / 100) - ratePoints : 0;
  applied.push(...rateEntries);

  let bonuses = 0;
  for (const r of matched) {
    if (!('bonus' in r.then)) continue;
    const points = capped(r, r.then.bonus);
    applied.push({ id: r.id, version: r.version, points });
    bonuses += points;
  }
  if (tierPoints !== 0) applied.push({ id: 'tier', version: 0, points: tierPoints });
  return result(ratePoints + tierPoints + bonuses, base);
}

/** What a rule may still give under its caps. */
function room(r: ActiveRule, local: LocalParts, ctx: EarningContext): number {
  let left = r.caps.perEvent ?? Infinity;
  if (r.caps.perMemberPerDay !== undefined) {
    left = Math.min(left, r.caps.perMemberPerDay - (ctx.usage?.(r.id, 'day', local.date) ?? 0));
  }
  if (r.caps.perMemberPerMonth !== undefined) {
    left = Math.min(left, r.caps.perMemberPerMonth - (ctx.usage?.(r.id, 'month', local.month) ?? 0));
  }
  return Math.max(0, left);
}

const byPriority = (a: ActiveRule, b: ActiveRule) =>
  b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function matches(w: RuleWhen, o: OrderFacts, local: LocalParts, ctx: EarningContext): boolean {
  if (w.channels?.length && !w.channels.includes(o.channel)) return false;
  if (w.storeIds?.length && (o.storeId === null || !w.storeIds.includes(o.storeId))) return false;
  if (w.regions?.length && (o.region === null || !w.regions.includes(o.region))) return false;
  if (w.tiers?.length && (o.tier === null || !w.tiers.includes(o.tier))) return false;
  if (w.minPaidFen !== undefined && o.paidFen < w.minPaidFen) return false;
  if (w.maxPaidFen !== undefined && o.paidFen > w.maxPaidFen) return false;
  if (w.weekdays?.length && !w.weekdays.includes(local.weekday)) return false;
  if (w.dateFrom && local.date < w.dateFrom) return false;
  if (w.dateTo && local.date > w.dateTo) return false;
  if (!inTimeWindow(w, local.minute)) return false;
  if (w.birthday && !isBirthday(o.birthday, local)) return false;
  if (w.holidays !== undefined && ctx.holidays.has(local.date) !== w.holidays) return false;
  if (w.categories?.length && !(o.items ?? []).some((i) => w.categories!.includes(i.category))) return false;
  return true;
}

function inTimeWindow(w: RuleWhen, minute: number): boolean {
  const from = w.timeFrom ? minuteOf(w.timeFrom) : null;
  const to = w.timeTo ? minuteOf(w.timeTo) : null;
  if (from === null && to === null) return true;
  if (to === null) return minute >= from!;
  if (from === null) return minute < to;
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

function isBirthday(birthday: string | null, local: LocalParts): boolean {
  if (!birthday) return false;
  const md = birthday.slice(-5);
  if (md === local.monthDay) return true;
  // 29 February outside leap years: the 28th.
  const year = Number(local.date.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return md === '02-29' && !leap && local.monthDay === '02-28';
}

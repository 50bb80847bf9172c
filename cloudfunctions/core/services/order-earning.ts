/**
 * What an order earns, from the active earning rules and the member it goes
 * to (their tier, birthday and what capped rules already gave them), and
 * the bookkeeping after: the rule usage counters. The accrual records the
 * result's rule ids and versions on its event, so a later change of a rule
 * never changes points already given.
 */
import { earn, type ActiveRule, type Earned, type OrderItem, type RuleChannel } from '../domain/earning-rules.js';
import { localParts } from '../domain/local-time.js';
import type { MemberRow, Tx } from '../store/port.js';
import type { EarningRules } from './earning-rules.js';
import type { Tiers } from './tiers.js';
import type { ExpiryPolicies } from './expiry-policy.js';

export interface OrderInput {
  channel: RuleChannel;
  storeId: string | null;
  paidFen: number;
  at: number;
  items?: readonly OrderItem[] | null;
}

const usageKey = (ruleId: string, period: string) => `rule:${ruleId}:${period}`;

export class OrderEarning {
  constructor(
    private readonly deps: {
      rules: EarningRules;
      tiers: Tiers;
      timeZone: string;
      /** Refreshed with the rules: the lot this payment makes takes the operator's current policy. */
      expiry?: ExpiryPolicies;
    },
  ) {}

  /**
   * Evaluates the order for `memberId` (null: nobody yet; tier and birthday
   * rules then do not match). The caps' counters are read here and written
   * by recordUsage: a caller that holds the member's account lock across
   * both (a payment credited to its member does) keeps daily caps exact.
   */
  async evaluate(
    tx: Tx,
    order: OrderInput,
    memberId: string | null,
    opts: { rules?: ActiveRule[]; member?: MemberRow } = {},
  ): Promise<Earned> {
    const rules = opts.rules ?? (await this.deps.rules.active());
    await this.deps.expiry?.refresh();
    const holidays = await this.deps.rules.holidays();
    const needsRegion = rules.some((r) => r.when.regions?.length);
    const region = needsRegion && order.storeId ? ((await tx.getStore(order.storeId))?.region ?? null) : null;
    let tier: { code: string; multiplier: number } | null = null;
    let birthday: string | null = null;
    let usage: Record<string, number> = {};
    const capped = rules.filter((r) => r.caps.perMemberPerDay !== undefined || r.caps.perMemberPerMonth !== undefined);
    if (memberId) {
      const member = opts.member ?? (await tx.getMember(memberId));
      if (member) {
        tier = await this.deps.tiers.held(member);
        birthday = member.birthday ?? null;
      }
    }
    const facts = { ...order, region, tier: tier?.code ?? null, birthday };
    if (memberId && capped.length > 0) {
      const local = localParts(order.at, this.deps.timeZone);
      usage = await tx.counters(
        memberId,
        capped.flatMap((r) => [usageKey(r.id, local.date), usageKey(r.id, local.month)]),
      );
    }
    return earn(rules, facts, {
      timeZone: this.deps.timeZone,
      holidays,
      tierMultiplier: tier?.multiplier ?? 1,
      usage: (ruleId, period, key) => usage[usageKey(ruleId, key)] ?? 0,
    });
  }

  /** What each order would earn now, with the active rules or (drafts) every rule's newest version. */
  async dryRun(
    store: { transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> },
    orders: readonly (OrderInput & { memberId?: string | null })[],
    drafts: boolean,
  ): Promise<Earned[]> {
    const rules = drafts ? await this.deps.rules.newest() : await this.deps.rules.active();
    return store.transaction(async (tx) => {
      const out: Earned[] = [];
      for (const o of orders) out.push(await this.evaluate(tx, o, o.memberId ?? null, { rules }));
      return out;
    });
  }

  /** Counts what capped rules gave this member in the order's day and month. Under the member's lock. */
  async recordUsage(tx: Tx, memberId: string, earned: Earned): Promise<void> {
    const capped = new Set(
      (await this.deps.rules.active())
        .filter((r) => r.caps.perMemberPerDay !== undefined || r.caps.perMemberPerMonth !== undefined)
        .map((r) => r.id),
    );
    const deltas: Record<string, number> = {};
    for (const a of earned.applied) {
      if (!capped.has(a.id) || a.points <= 0) continue;
      deltas[usageKey(a.id, earned.day)] = (deltas[usageKey(a.id, earned.day)] ?? 0) + a.points;
      deltas[usageKey(a.id, earned.month)] = (deltas[usageKey(a.id, earned.month)] ?? 0) + a.points;
    }
    if (Object.keys(deltas).length > 0) await tx.addCounters(memberId, deltas);
  }
}

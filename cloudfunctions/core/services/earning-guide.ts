/**
 * The member app's "how to earn" page, from what actually pays: the active
 * earning rules (not yet ended), the activity bonuses HQ set, the member's
 * tier multiplier and the expiry policy. Nothing here is written by hand for
 * the page: an operator's change shows on the next load (the rules and
 * settings come through the same 5 s caches the payments read).
 */
import { localParts } from '../domain/local-time.js';
import type { ActiveRule, RuleCaps, RuleThen, RuleWhen } from '../domain/earning-rules.js';
import type { ActivityBonusSettings } from '../domain/activity-bonuses.js';
import { errors } from '../domain/errors.js';
import type { Store } from '../store/port.js';
import type { ActivityBonuses } from './activity-bonuses.js';
import type { EarningRules } from './earning-rules.js';
import type { ExpiryPolicies, ExpirySettings } from './expiry-policy.js';
import type { Tiers } from './tiers.js';

/** DESIGN: with no rule matching, an order earns 1 point per whole yuan. */
export const BASE_POINTS_PER_YUAN = 1;

export interface GuideRule {
  id: string;
  name: string;
  /** The rule's conditions, with store ids also given as the stores' names. */
  when: RuleWhen & { storeNames?: string[] };
  then: RuleThen;
  caps: RuleCaps;
}

export interface EarningGuide {
  basePointsPerYuan: number;
  rules: GuideRule[];
  tier: { code: string; name: string; multiplier: number };
  bonuses: ActivityBonusSettings;
  expiry: Pick<ExpirySettings, 'mode' | 'days' | 'clearOn' | 'afterYears'>;
}

export class EarningGuides {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      timeZone: string;
      rules: EarningRules;
      tiers: Tiers;
      bonuses: ActivityBonuses;
      expiry: ExpiryPolicies;
    },
  ) {}

  async forMember(memberId: string): Promise<EarningGuide> {
    const member = await this.deps.store.getMember(memberId);
    if (!member) throw errors.notFound('Member');
    const today = localParts(this.deps.clock(), this.deps.timeZone).date;
    const rules = (await this.deps.rules.active())
      .filter((r) => !r.when.dateTo || r.when.dateTo >= today)
      .sort((a, b) => b.priority - a.priority);
    const names = await this.storeNames(rules);
    const tier = await this.deps.tiers.held(member);
    const { mode, days, clearOn, afterYears } = await this.deps.expiry.settings();
    return {
      basePointsPerYuan: BASE_POINTS_PER_YUAN,
      rules: rules.map((r) => ({
        id: r.id,
        name: r.name,
        when: r.when.storeIds ? { ...r.when, storeNames: r.when.storeIds.map((id) => names.get(id) ?? id) } : r.when,
        then: r.then,
        caps: r.caps,
      })),
      tier: { code: tier.code, name: tier.name, multiplier: tier.multiplier },
      bonuses: await this.deps.bonuses.settings(),
      expiry: { mode, days, clearOn, afterYears },
    };
  }

  private async storeNames(rules: ActiveRule[]): Promise<Map<string, string>> {
    if (!rules.some((r) => r.when.storeIds?.length)) return new Map();
    return new Map((await this.deps.store.listStores()).map((s) => [s.id, s.name]));
  }
}

/**
 * The tier ladder operators configure (PUT /api/admin/tiers) and the growth
 * that moves members along it (domain/tiers.ts for the rules). Growth is
 * kept per member in monthly counters ("growth:YYYY-MM", the month of the
 * payment in JIFEN_TIMEZONE) so the rolling period is a sum of the last N
 * buckets; the member row keeps lifetime growth and the tier held. Every
 * change of tier writes a `tier.changed` outbox message in the same
 * transaction.
 */
import { errors } from '../domain/errors.js';
import { localParts } from '../domain/local-time.js';
import { endOfDayAfter, isoInZone } from '../domain/time.js';
import {
  afterGrowth,
  atPeriodEnd,
  DEFAULT_LADDER,
  rankOf,
  tierView,
  type Tier,
  type TierLadder,
} from '../domain/tiers.js';
import type { MemberRow, Store, Tx } from '../store/port.js';
import type { OutboxWriter } from './outbox-writer.js';
import { SingletonConfig } from './config-docs.js';

/** Members one period sweep page reads. */
const SWEEP_PAGE = 100;

export class Tiers {
  private readonly config: SingletonConfig<TierLadder>;

  constructor(private readonly deps: { store: Store; clock: () => number; timeZone: string; outbox: OutboxWriter }) {
    this.config = new SingletonConfig(deps, 'tiers', 'ladder', DEFAULT_LADDER);
  }

  ladder(): Promise<TierLadder> {
    return this.config.get();
  }

  async setLadder(actor: string, ladder: TierLadder): Promise<TierLadder> {
    refuseBadLadder(ladder);
    return this.config.save(actor, ladder);
  }

  /** The tier a member holds (the first tier when none yet) and its entry in the ladder. */
  async held(member: MemberRow): Promise<Tier> {
    const ladder = await this.ladder();
    return ladder.tiers[rankOf(member.tier, ladder)]!;
  }

  /** `me.tier`: held tier, rolling growth, the next tier; plain reads. */
  async view(member: MemberRow, now: number): Promise<TierView> {
    const ladder = await this.ladder();
    const keys = monthsBack(now, ladder.periodMonths, this.deps.timeZone);
    const values = await this.deps.store.memberCounters(member.id, keys);
    return tierView(member.tier ?? null, sumGrowth(keys, values), ladder);
  }

  /**
   * The member's tier page: the ladder with each tier's benefits, where the
   * member stands, until when the held tier is kept, and the growth of each
   * month of the rolling period (oldest first), all from the same counters
   * that move the tier.
   */
  async detail(memberId: string): Promise<TierDetail> {
    const member = await this.deps.store.getMember(memberId);
    if (!member) throw errors.notFound('Member');
    const now = this.deps.clock();
    const ladder = await this.ladder();
    const keys = monthsBack(now, ladder.periodMonths, this.deps.timeZone);
    const values = await this.deps.store.memberCounters(member.id, keys);
    return {
      current: tierView(member.tier ?? null, sumGrowth(keys, values), ladder),
      heldUntil: member.tier && member.tierUntil ? isoInZone(member.tierUntil, this.deps.timeZone) : null,
      periodMonths: ladder.periodMonths,
      ladder: ladder.tiers,
      months: keys.map((k) => ({ month: k.slice('growth:'.length), growth: Math.max(0, values[k] ?? 0) })).reverse(),
    };
  }

  /**
   * Adds growth (negative: a refund takes it back) in the month of `at`, and
   * moves the member up at once if the rolling growth now reaches a higher
   * tier. The caller holds the member's account lock.
   */
  async addGrowth(tx: Tx, memberId: string, delta: number, at: number, now: number, known?: MemberRow): Promise<void> {
    if (delta === 0) return;
    const member = known ?? (await tx.getMember(memberId));
    if (!member) throw errors.notFound('Member');
    const ladder = await this.ladder();
    await tx.addCounters(memberId, { [monthKey(at, this.deps.timeZone)]: delta });
    const rolling = await this.rolling(tx, memberId, now, ladder);
    const held = { tier: member.tier ?? null, tierUntil: member.tierUntil ?? null };
    const next = afterGrowth(held, rolling, now, (t) => this.periodEnd(t, ladder), ladder);
    // The member row changes only with the tier: growth itself lives in the monthly counters.
    if (next.tier === held.tier && next.tierUntil === held.tierUntil) return;
    await tx.setMemberTier(memberId, rolling, next.tier, next.tierUntil);
    await this.announce(tx, member, next.tier, rolling, now);
  }

  /**
   * Up to `batch` members whose held tier's period ended, evaluated again
   * (they may move down). Each leaves the due set (a new period, or none at
   * the first tier), so repeated calls make progress. Returns how many were
   * evaluated.
   */
  async sweepPeriods(batch = SWEEP_PAGE): Promise<number> {
    const now = this.deps.clock();
    const ladder = await this.ladder();
    const due = await this.deps.store.membersWithTierDue(now, null, batch);
    for (const memberId of due) {
      await this.deps.store.transaction(async (tx) => {
        await tx.lockAccount(memberId);
        const member = await tx.getMember(memberId);
        if (!member || member.tierUntil === null || member.tierUntil === undefined || member.tierUntil > now) return;
        const rolling = await this.rolling(tx, memberId, now, ladder);
        const next = atPeriodEnd(rolling, now, (t) => this.periodEnd(t, ladder), ladder);
        await tx.setMemberTier(memberId, rolling, next.tier, next.tierUntil);
        await this.announce(tx, member, next.tier, rolling, now);
      });
    }
    return due.length;
  }

  private async announce(tx: Tx, member: MemberRow, tier: string, growth: number, now: number): Promise<boolean> {
    const ladder = await this.ladder();
    const from = member.tier ?? ladder.tiers[0]!.code;
    if (from === tier) return false;
    await this.deps.outbox.add(tx, {
      topic: 'tier.changed',
      memberId: member.id,
      payload: { from, to: tier, growth, direction: rankOf(tier, ladder) > rankOf(from, ladder) ? 'up' : 'down' },
      createdAt: now,
    });
    return true;
  }

  /** Rolling growth: the sum of the last `periodMonths` monthly buckets, this month included. */
  private async rolling(tx: Tx, memberId: string, now: number, ladder: TierLadder): Promise<number> {
    const keys = monthsBack(now, ladder.periodMonths, this.deps.timeZone);
    return sumGrowth(keys, await tx.counters(memberId, keys));
  }

  private periodEnd(from: number, ladder: TierLadder): number {
    return endOfDayAfter(from, { months: ladder.periodMonths }, this.deps.timeZone);
  }
}

export type TierView = ReturnType<typeof tierView>;

export interface TierDetail {
  current: TierView;
  /** When the held tier is evaluated again (it may move down then); null at the first tier. */
  heldUntil: string | null;
  periodMonths: number;
  ladder: Tier[];
  months: { month: string; growth: number }[];
}

const sumGrowth = (keys: string[], values: Record<string, number>) =>
  keys.reduce((s, k) => s + Math.max(0, values[k] ?? 0), 0);

export const monthKey = (at: number, timeZone: string) => `growth:${localParts(at, timeZone).month}`;

/** "growth:YYYY-MM" keys of the `n` months ending with the month of `now`. */
export function monthsBack(now: number, n: number, timeZone: string): string[] {
  const [y, m] = localParts(now, timeZone).month.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const total = y * 12 + (m - 1) - i;
    return `growth:${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
  });
}

function refuseBadLadder(l: TierLadder): void {
  const problems: string[] = [];
  if (l.tiers.length < 1 || l.tiers.length > 10) problems.push('A ladder has 1 to 10 tiers.');
  if (l.tiers[0] && l.tiers[0].minGrowth !== 0) problems.push('The first tier starts at 0 growth.');
  l.tiers.forEach((t, i) => {
    if (i > 0 && t.minGrowth <= l.tiers[i - 1]!.minGrowth) {
      problems.push(`${t.name}: thresholds must rise from tier to tier.`);
    }
  });
  if (new Set(l.tiers.map((t) => t.code)).size !== l.tiers.length) problems.push('Tier codes must be unique.');
  if (problems.length > 0) throw errors.validation(problems.join(' '));
}

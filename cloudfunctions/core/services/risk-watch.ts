/**
 * Risk alerts (HQ reads them in the console's 风险提醒 and resolves them):
 *
 * - `risk.accrual_burst`: many accruals for one member within minutes (a
 *   shared account, or a till crediting one card for everyone);
 * - `risk.near_review`: redemptions just under the review threshold, again
 *   and again (splitting to stay out of review);
 * - `risk.till_burst`: a burst of points payments captured at one store;
 * - `payer_link.contested` (order-attribution.ts): one payer claimed by
 *   several members.
 *
 * Each check runs after the write it watches has committed, reading the
 * member's or the store's recent events, so it never slows or fails the
 * write: an error here is logged, not thrown. One alert stays open per
 * kind and subject until HQ resolves it, so a burst raises one alert, not
 * one per event. The thresholds are HQ's to change (GET/PUT
 * /api/admin/risk), effective without a restart.
 */
import { errors } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/port.js';
import { SingletonConfig } from './config-docs.js';

export interface RiskSettings {
  /** This many accruals (payments, claims, open API orders) for one member within `minutes`. */
  accrualBurst: { count: number; minutes: number };
  /** This many redemptions within `hours`, each at least `ratio` of the review threshold and under it. */
  nearReview: { count: number; hours: number; ratio: number };
  /** This many points payments captured at one store within `minutes`. */
  tillBurst: { count: number; minutes: number };
}

export const DEFAULT_RISK: RiskSettings = {
  accrualBurst: { count: 5, minutes: 10 },
  nearReview: { count: 3, hours: 24, ratio: 0.9 },
  tillBurst: { count: 20, minutes: 1 },
};

/** What a check reads at most: past the count it needs, more rows change nothing. */
const READ_MAX = 200;

export class RiskWatch {
  private readonly config: SingletonConfig<RiskSettings>;

  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      logger: Logger;
      /** Redemptions at or above this many points wait for review (0: no review). */
      reviewThreshold: number;
    },
  ) {
    this.config = new SingletonConfig(deps, 'risk', 'settings', DEFAULT_RISK);
  }

  settings(): Promise<RiskSettings> {
    return this.config.get();
  }

  async set(actor: string, s: RiskSettings): Promise<RiskSettings> {
    if (s.accrualBurst.count < 2 || s.tillBurst.count < 2 || s.nearReview.count < 1) {
      throw errors.validation('A burst is at least 2 events; near-review at least 1 redemption.');
    }
    return this.config.save(actor, s);
  }

  /** A member was credited for a purchase. */
  accrued(memberId: string): Promise<void> {
    return this.guarded(async () => {
      const { count, minutes } = (await this.settings()).accrualBurst;
      const since = this.deps.clock() - minutes * 60_000;
      const recent = await this.deps.store.countRecentEvents({
        memberId,
        kinds: ['earn', 'claim'],
        since,
        limit: Math.min(count, READ_MAX),
      });
      if (recent >= count) {
        await this.raise('risk.accrual_burst', `member:${memberId}`, { memberId, accruals: recent, minutes });
      }
    });
  }

  /** A member redeemed a reward for `points`. */
  redeemed(memberId: string, points: number): Promise<void> {
    return this.guarded(async () => {
      const threshold = this.deps.reviewThreshold;
      const { count, hours, ratio } = (await this.settings()).nearReview;
      const near = (p: number) => threshold > 0 && p >= Math.ceil(threshold * ratio) && p < threshold;
      if (!near(points)) return;
      const recent = await this.deps.store.recentEvents({
        memberId,
        kinds: ['redeem'],
        since: this.deps.clock() - hours * 3_600_000,
        limit: READ_MAX,
      });
      const close = recent.filter((e) => near(-e.delta)).length;
      if (close >= count) {
        await this.raise('risk.near_review', `member:${memberId}`, { memberId, redemptions: close, hours, threshold });
      }
    });
  }

  /** A till captured a points payment at `storeId` (null: HQ's till). */
  captured(storeId: string | null, tillId: string): Promise<void> {
    return this.guarded(async () => {
      if (!storeId) return;
      const { count, minutes } = (await this.settings()).tillBurst;
      const recent = await this.deps.store.countRecentEvents({
        storeId,
        kinds: ['capture'],
        since: this.deps.clock() - minutes * 60_000,
        limit: Math.min(count, READ_MAX),
      });
      if (recent >= count) {
        await this.raise('risk.till_burst', `store:${storeId}`, { storeId, tillId, captures: recent, minutes });
      }
    });
  }

  private async raise(kind: string, subject: string, detail: Record<string, unknown>): Promise<void> {
    if (await this.deps.store.hasOpenAlert(kind, subject)) return;
    const now = this.deps.clock();
    await this.deps.store.transaction((tx) => tx.insertAlert({ kind, subject, detail, createdAt: now }));
    this.deps.logger.warn({ alert: kind, subject }, 'risk alert raised');
  }

  private async guarded(check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (e) {
      this.deps.logger.error({ err: e }, 'risk check failed; the write it watched stands');
    }
  }
}

/**
 * The expiry policy operators set (GET/PUT /api/admin/expiry): rolling days
 * or a yearly clearance, and the reminder days before points expire. The
 * ExpiryPolicy object every crediting service holds is this service's, and
 * is changed in place: on a change here at once, elsewhere (other servers,
 * cloud function instances) at the next refresh, which every payment's rule
 * evaluation and the scheduled jobs ask for (config-docs.ts: at most every 5 s). Until
 * an operator sets one, JIFEN_POINTS_TTL_DAYS (rolling) applies.
 */
import { errors } from '../domain/errors.js';
import type { ExpiryPolicy } from '../domain/expiry.js';
import type { Store } from '../store/port.js';
import { SingletonConfig } from './config-docs.js';

export const DEFAULT_REMINDERS = [30, 7, 1];

export interface ExpirySettings {
  mode: 'rolling' | 'yearly';
  /** rolling: days a credit lives (0 = never expires). */
  days: number;
  /** yearly: the clearance date, MM-DD, and how many years after the credit's year. */
  clearOn: string | null;
  afterYears: number | null;
  /** Days before an expiry when the member is reminded (outbox `points.expiring`). */
  reminders: number[];
}

export class ExpiryPolicies {
  private current: ExpirySettings;
  private readonly config: SingletonConfig<ExpirySettings>;

  constructor(
    private readonly deps: { store: Store; clock: () => number; policy: ExpiryPolicy; defaultTtlDays: number },
  ) {
    this.current = {
      mode: 'rolling',
      days: deps.defaultTtlDays,
      clearOn: null,
      afterYears: null,
      reminders: DEFAULT_REMINDERS,
    };
    this.config = new SingletonConfig(deps, 'expiry', 'policy', this.current);
  }

  /** The policy object crediting services read (changed in place). */
  get policy(): ExpiryPolicy {
    return this.deps.policy;
  }

  async settings(): Promise<ExpirySettings> {
    await this.refresh();
    return this.current;
  }

  /** Loads the operator's policy if the copy here is older than REFRESH_MS. */
  async refresh(): Promise<void> {
    this.apply(await this.config.get());
  }

  async set(actor: string, settings: ExpirySettings): Promise<ExpirySettings> {
    if (settings.mode === 'yearly' && (!settings.clearOn || !settings.afterYears)) {
      throw errors.validation('A yearly clearance needs clearOn (MM-DD) and afterYears (1 or more).');
    }
    await this.config.save(actor, settings);
    this.apply(settings);
    return this.current;
  }

  private apply(s: ExpirySettings): void {
    this.current = s;
    this.deps.policy.ttlDays = s.mode === 'rolling' ? s.days : 0;
    this.deps.policy.yearly =
      s.mode === 'yearly' && s.clearOn && s.afterYears ? { clearOn: s.clearOn, afterYears: s.afterYears } : null;
  }
}

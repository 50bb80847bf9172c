/**
 * The services, wired once from configuration and a store: used by the HTTP
 * app, the local server's background jobs, and (later) each cloud function.
 */
import type { Config } from './config.js';
import type { Services } from './http/context.js';
import { createLogger, type Logger } from './logger.js';
import { Accruals } from './payments/accrual.js';
import { Catalog } from './services/catalog.js';
import { Claims } from './services/claims.js';
import { Redemptions } from './services/redemption.js';
import { loginResolver, phoneResolver } from './services/identity.js';
import { Ledger } from './services/ledger.js';
import { Members } from './services/members.js';
import { Metrics } from './services/metrics.js';
import { OutboxDispatcher } from './services/outbox-dispatcher.js';
import { PhoneBinding } from './services/phone-binding.js';
import { PhoneVault } from './services/phones.js';
import { Sessions } from './services/sessions.js';
import { StaffDirectory } from './services/staff.js';
import { Till } from './services/till.js';
import { OutboxWriter } from './services/outbox-writer.js';
import { ExpirySweep } from './services/expiry-sweep.js';
import { PayerLinks } from './services/payer-links.js';
import { RateLimits } from './services/rate-limits.js';
import { EarningRules } from './services/earning-rules.js';
import { DataRights } from './services/data-rights.js';
import { Reconciliation } from './services/reconciliation.js';
import { platformApis } from './payments/platform-apis.js';
import { OrderEarning } from './services/order-earning.js';
import { Tiers } from './services/tiers.js';
import { ActivityBonuses } from './services/activity-bonuses.js';
import { EarningGuides } from './services/earning-guide.js';
import { LiveBalances } from './services/live-balances.js';
import { Operators } from './services/operators.js';
import { Reports } from './services/reports.js';
import { Integrations } from './services/integrations.js';
import { OpenOrders } from './services/open-orders.js';
import { RiskWatch } from './services/risk-watch.js';
import { Blacklist } from './services/blacklist.js';
import { Webhooks } from './services/webhooks.js';
import { announcingStore } from './services/webhook-events.js';
import { Batches } from './services/batches.js';
import { ExpiryPolicies } from './services/expiry-policy.js';
import { ExpiryReminders } from './services/expiry-reminders.js';
import type { ExpiryPolicy } from './domain/expiry.js';
import type { Store } from './store/port.js';
import { createWechat } from './wechat/index.js';

export interface ServiceDeps {
  config: Config;
  store: Store;
  logger?: Logger;
  clock?: () => number;
}

export function createServices(deps: ServiceDeps): Services {
  const clock = deps.clock ?? Date.now;
  const { config } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const webhooks = new Webhooks({
    store: deps.store,
    clock,
    secret: config.secret,
    timeZone: config.timeZone,
    allowPrivate: config.webhookAllowPrivate,
    logger,
  });
  // Every service writes through this store: each member event also announces points.changed to webhooks that want it.
  const store = announcingStore(deps.store, webhooks);
  // One policy object for every service that credits points; ExpiryPolicies changes it in place.
  const expiry: ExpiryPolicy = { ttlDays: config.pointsTtlDays, timeZone: config.timeZone, yearly: null };
  const phones = new PhoneVault(config.secret);
  // Sandbox mode talks to nobody: no WeChat client at all.
  const wechat =
    config.wechat.appId && config.wechat.secret
      ? createWechat({
          appId: config.wechat.appId,
          secret: config.wechat.secret,
          apiBase: config.wechat.apiBase,
          clock,
          logger,
        })
      : null;
  const ledger = new Ledger({ store, clock, expiry });
  // Only messages someone consumes: a subscribe template per topic.
  const outbox = new OutboxWriter(new Set(Object.keys(config.subscribeTemplates)));
  const expiryPolicies = new ExpiryPolicies({ store, clock, policy: expiry, defaultTtlDays: config.pointsTtlDays });
  const rules = new EarningRules({ store, clock, timeZone: config.timeZone, approval: config.rulesApproval });
  const tiers = new Tiers({ store, clock, timeZone: config.timeZone, outbox });
  const earning = new OrderEarning({ rules, tiers, timeZone: config.timeZone, expiry: expiryPolicies });
  const blacklist = new Blacklist({ store, clock, vault: phones });
  const bonuses = new ActivityBonuses({
    store,
    clock,
    timeZone: config.timeZone,
    ledger,
    tiers,
    expiry,
    secret: config.secret,
    blacklist,
  });
  const risk = new RiskWatch({ store, clock, logger, reviewThreshold: config.redemption.reviewThreshold });
  const accruals = new Accruals({
    store,
    clock,
    expiry,
    linkClaims: config.payerLinkClaims,
    outbox,
    earning,
    tiers,
    bonuses,
    risk,
  });
  return {
    config,
    store,
    clock,
    logger,
    risk,
    blacklist,
    webhooks,
    wechat,
    login: loginResolver(wechat),
    ledger,
    till: new Till({ store, clock, ledger, cash: config.cash, refundWindowDays: config.tillRefundDays, risk }),
    accruals,
    bonuses,
    rules,
    tiers,
    guides: new EarningGuides({
      store,
      clock,
      timeZone: config.timeZone,
      rules,
      tiers,
      bonuses,
      expiry: expiryPolicies,
    }),
    live: new LiveBalances({ store, logger }),
    operators: new Operators({ store, clock, secret: config.secret }),
    batches: new Batches({ store, clock, ledger, vault: phones }),
    reconciliation: new Reconciliation({ store, clock, accruals, ...platformApis(config, clock) }),
    dataRights: new DataRights({
      store,
      clock,
      timeZone: config.timeZone,
      vault: phones,
      holidays: () => rules.holidays(),
      workingDays: config.deletionWorkingDays,
    }),
    integrations: new Integrations({ store, clock, secret: config.secret }),
    openOrders: new OpenOrders({ store, clock, expiry, earning, tiers, outbox, risk }),
    reports: new Reports({ store, clock, timeZone: config.timeZone, pointValueFen: config.pointValueFen }),
    earning,
    expiryPolicies,
    expiryReminders: new ExpiryReminders({ store, clock, timeZone: config.timeZone, policies: expiryPolicies, outbox }),
    metrics: new Metrics({ outboxDepth: () => store.outboxDepth() }),
    staff: new StaffDirectory({ store, clock }),
    claims: new Claims({
      store,
      clock,
      expiry,
      publicUrl: config.publicUrl,
      linkClaims: config.payerLinkClaims,
      outbox,
      tiers,
    }),
    phones,
    phoneBinding: new PhoneBinding({
      store,
      clock,
      vault: phones,
      phoneNumber: phoneResolver(wechat),
      onBound: (memberId, hash) => bonuses.phoneBound(memberId, hash),
    }),
    members: new Members({ store, clock, timeZone: config.timeZone, vault: phones, tiers }),
    sessions: new Sessions(config.secret, clock),
    catalog: new Catalog({ store, clock }),
    payerLinks: new PayerLinks({ store, clock, timeZone: config.timeZone, linkClaims: config.payerLinkClaims }),
    limits: new RateLimits(config.rateLimits),
    expirySweep: new ExpirySweep({ store, clock, ledger }),
    redemptions: new Redemptions({
      store,
      clock,
      expiry,
      outbox,
      risk,
      policy: { ...config.redemption, timeZone: config.timeZone },
    }),
    outbox: new OutboxDispatcher({
      store,
      clock,
      wechat,
      templates: config.subscribeTemplates,
      timeZone: config.timeZone,
      logger,
      webhooks,
    }),
  };
}

/**
 * Settings operators change in the console that a write must see, read
 * again where stale (a few seconds' cache): the expiry policy that dates new
 * lots, and the webhooks that decide whether a change is announced. Every
 * entry point (HTTP, the member function, the cron jobs) calls this first,
 * so another process's change is never missed for longer than the cache.
 */
export async function refreshShared(s: Services): Promise<void> {
  await Promise.all([s.expiryPolicies.refresh(), s.webhooks.refresh()]);
}

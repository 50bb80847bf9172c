/** What every route can reach: the wired services (built once in createApp) and the caller. */
import type { DataRights } from '../services/data-rights.js';
import type { Reconciliation } from '../services/reconciliation.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Accruals } from '../payments/accrual.js';
import type { Ledger } from '../services/ledger.js';
import type { Metrics } from '../services/metrics.js';
import type { Members } from '../services/members.js';
import type { Catalog } from '../services/catalog.js';
import type { Claims } from '../services/claims.js';
import type { Redemptions } from '../services/redemption.js';
import type { WechatIdentity } from '../services/identity.js';
import type { OutboxDispatcher } from '../services/outbox-dispatcher.js';
import type { PhoneBinding } from '../services/phone-binding.js';
import type { PhoneVault } from '../services/phones.js';
import type { Wechat } from '../wechat/index.js';
import type { Sessions } from '../services/sessions.js';
import type { Caller, StaffDirectory } from '../services/staff.js';
import type { Till } from '../services/till.js';
import type { ExpirySweep } from '../services/expiry-sweep.js';
import type { PayerLinks } from '../services/payer-links.js';
import type { RateLimits } from '../services/rate-limits.js';
import type { MemberRow, Store } from '../store/port.js';
import type { EarningRules } from '../services/earning-rules.js';
import type { OrderEarning } from '../services/order-earning.js';
import type { Tiers } from '../services/tiers.js';
import type { ActivityBonuses } from '../services/activity-bonuses.js';
import type { ExpiryPolicies } from '../services/expiry-policy.js';
import type { ExpiryReminders } from '../services/expiry-reminders.js';
import type { EarningGuides } from '../services/earning-guide.js';
import type { LiveBalances } from '../services/live-balances.js';
import type { ConsoleCaller, Operators } from '../services/operators.js';
import type { Reports } from '../services/reports.js';
import type { Integration, Integrations } from '../services/integrations.js';
import type { OpenOrders } from '../services/open-orders.js';
import type { RiskWatch } from '../services/risk-watch.js';
import type { Blacklist } from '../services/blacklist.js';
import type { Webhooks } from '../services/webhooks.js';
import type { Batches } from '../services/batches.js';

export interface Services {
  config: Config;
  store: Store;
  logger: Logger;
  clock: () => number;
  ledger: Ledger;
  members: Members;
  sessions: Sessions;
  accruals: Accruals;
  metrics: Metrics;
  staff: StaffDirectory;
  claims: Claims;
  phones: PhoneVault;
  phoneBinding: PhoneBinding;
  /** null in sandbox mode. */
  wechat: Wechat | null;
  /** A wx.login code → the WeChat identity (sandbox: the code is the openid). */
  login: (code: string) => Promise<WechatIdentity>;
  outbox: OutboxDispatcher;
  catalog: Catalog;
  redemptions: Redemptions;
  till: Till;
  payerLinks: PayerLinks;
  limits: RateLimits;
  expirySweep: ExpirySweep;
  rules: EarningRules;
  tiers: Tiers;
  earning: OrderEarning;
  expiryPolicies: ExpiryPolicies;
  expiryReminders: ExpiryReminders;
  bonuses: ActivityBonuses;
  guides: EarningGuides;
  live: LiveBalances;
  operators: Operators;
  reports: Reports;
  integrations: Integrations;
  openOrders: OpenOrders;
  risk: RiskWatch;
  blacklist: Blacklist;
  webhooks: Webhooks;
  batches: Batches;
  dataRights: DataRights;
  reconciliation: Reconciliation;
}

export type AppEnv = {
  Variables: {
    /** Set by memberAuth. */
    memberId: string;
    /** Set by memberAuth: the member's row as it read it (null if none), so a route need not read it again. */
    member: MemberRow | null;
    /** Set by adminAuth: whose idempotency keys these are. */
    callerId: string;
    /** Set by staffAuth: a store-scoped staff member, or HQ. */
    caller: Caller;
    /** Set by adminAuth: the console operator (or the bootstrap admin token as HQ). */
    operator: ConsoleCaller;
    /** Set by openAuth: the open API key a signed request was made with. */
    integration: Integration;
  };
};

export type App = OpenAPIHono<AppEnv>;

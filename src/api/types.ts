/**
 * Wire shapes of the member API, as the server declares them in
 * cloudfunctions/core/http/schemas.ts, reward-schemas.ts and routes/till.ts.
 * Kept by hand: the app must not bundle zod or server code.
 */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface Tier {
  code: string;
  name: string;
  growth: number;
  /** growthNeeded is what is still missing, not the threshold. */
  next: { code: string; name: string; growthNeeded: number } | null;
}

export interface MemberView {
  id: string;
  balance: number;
  available: number;
  held: number;
  phone: string | null;
  status: 'active' | 'frozen';
  /** MM-DD or YYYY-MM-DD; set once. */
  birthday: string | null;
  tier: Tier;
  expiring: { points: number; firstAt: string } | null;
  /** The next expiry date and the points that expire at its end. */
  nextExpiry: { points: number; at: string } | null;
  createdAt: string;
}

/** A payment account (Alipay, another WeChat app) tied to the member by checkout claims. */
export interface PayerLink {
  id: string;
  channel: 'alipay' | 'wechatpay';
  /** Masked: 2088****5135. */
  payer: string;
  status: 'pending' | 'active' | 'suspended' | 'removed';
  claims: number;
  /** Claims still needed before a pending link is active. */
  claimsNeeded: number;
  createdAt: string;
  updatedAt: string;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  member: MemberView;
}

export interface HistoryItem {
  id: string;
  kind: string;
  delta: number;
  balanceAfter: number | null;
  heldAfter: number | null;
  storeId: string | null;
  reason: string | null;
  createdAt: string;
}

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor: string | null;
}

/** The parts of a reward's spec the app shows (domain/rewards.ts has the whole). */
export interface RewardSpec {
  description?: string;
  imageUrl?: string;
  voucherDays?: number;
  coupon?: { type: 'amount_off' | 'discount'; amountOffFen?: number; discountPercent?: number; thresholdFen?: number };
  cash?: { pointsPerYuan: number; maxShareBps: number };
}

export interface Reward {
  id: string;
  name: string;
  kind: 'gift' | 'coupon' | 'cash';
  pointsCost: number;
  stock: number | null;
  active: boolean;
  spec: RewardSpec;
  updatedAt: string;
}

export interface Voucher {
  id: string;
  code: string;
  /** Only on one voucher (GET /api/member/vouchers/{id}, a redemption) while usable; lists carry null. */
  qr: string | null;
  rewardId: string;
  rewardName: string;
  points: number;
  status: 'pending_review' | 'issued' | 'used' | 'expired' | 'cancelled' | 'rejected';
  expiresAt: string | null;
  createdAt: string;
}

export interface PayCode {
  holdId: string;
  code: string;
  qr: string;
  barcode: string;
  points: number;
  expiresAt: string;
}

export interface PayCodeStatus {
  holdId: string;
  status: 'open' | 'captured' | 'released' | 'expired';
  points: number;
  expiresAt: string;
}

export interface ClaimResult {
  points: number;
  balance: number;
  /** waiting: the payment notification has not arrived yet; the points follow it. */
  status: 'credited' | 'waiting';
}

export interface Subscriptions {
  templates: { topic: string; templateId: string }[];
  credits: Record<string, number>;
}

export interface StaffView {
  id: string;
  name: string;
  role: 'hq' | 'cashier' | 'manager';
  storeId: string | null;
  storeName: string | null;
}

export interface ClaimTicket {
  ticket: string;
  expiresAt: string;
  link: string;
  qr: string;
}

export interface CaptureResult {
  orderNo: string;
  points: number;
  discountFen: number;
}

export interface VoucherUse {
  voucherId: string;
  rewardId: string;
  rewardName: string;
  points: number;
  usedAt: string;
}

/** Today's check-in: whether it is done, the run of days, what a check-in pays, the next streak bonus. */
export interface CheckInStatus {
  checkedInToday: boolean;
  streak: number;
  points: number;
  nextStreak: { days: number; bonus: number } | null;
}

export interface CheckInResult {
  points: number;
  streak: number;
  balance: number;
}

/** One tier of the ladder HQ configures. */
export interface LadderTier {
  code: string;
  name: string;
  minGrowth: number;
  multiplier: number;
  birthdayGift: number;
  benefits: string[];
}

export interface TierPage {
  current: Tier;
  /** When the held tier is evaluated again; null at the first tier. */
  heldUntil: string | null;
  periodMonths: number;
  ladder: LadderTier[];
  /** Growth of each month of the rolling period, oldest first ("2026-12"). */
  months: { month: string; growth: number }[];
}

export interface RuleWhen {
  channels?: ('wechatpay' | 'alipay' | 'open')[];
  storeIds?: string[];
  storeNames?: string[];
  regions?: string[];
  tiers?: string[];
  minPaidFen?: number;
  maxPaidFen?: number;
  weekdays?: number[];
  timeFrom?: string;
  timeTo?: string;
  dateFrom?: string;
  dateTo?: string;
  birthday?: boolean;
  holidays?: boolean;
  categories?: string[];
}

export type RuleThen = { multiplier: number } | { pointsPerYuan: number } | { bonus: number } | { exclude: true };

export interface GuideRule {
  id: string;
  name: string;
  when: RuleWhen;
  then: RuleThen;
  caps: { perEvent?: number; perMemberPerDay?: number; perMemberPerMonth?: number };
}

export interface ActivityBonuses {
  signup: number;
  phone: number;
  profile: number;
  checkin: { points: number; streaks: { days: number; bonus: number }[] };
  referral: { referrer: number; referred: number; perReferrerMax: number };
  birthday: number;
}

export interface EarningGuide {
  basePointsPerYuan: number;
  rules: GuideRule[];
  tier: { code: string; name: string; multiplier: number };
  bonuses: ActivityBonuses;
  expiry: { mode: 'rolling' | 'yearly'; days: number; clearOn: string | null; afterYears: number | null };
}

export interface Referral {
  code: string;
  /** Whether I accepted someone's code. */
  referred: boolean;
}

/** What the member agreed to (binding a phone, subscribe messages), as the app worded it then. */
export interface Consent {
  purpose: 'phone' | 'subscribe';
  statement: string;
  /** The subscribe templates accepted; empty for the phone. */
  templateIds: string[];
  at: string;
}

/** A request to erase the membership, which HQ completes by dueAt (routes/data-rights.ts). */
export interface DeletionRequest {
  id: string;
  memberId: string;
  requestedAt: string;
  /** The end of the last working day HQ has to complete it. */
  dueAt: string;
  status: 'pending' | 'done';
  overdue: boolean;
  completedAt: string | null;
  completedBy: string | null;
  forfeited: number | null;
}

/**
 * Everything kept about the member (GET /api/member/data-export). The page
 * counts and saves it; the entries it only counts stay `unknown[]`, so the
 * file saved is the server's document, untouched.
 */
export interface DataExport {
  exportedAt: string;
  member: {
    id: string;
    openid: string | null;
    unionid: string | null;
    /** In full: the member's own copy; shown on screen only as phoneMasked. */
    phone: string | null;
    phoneMasked: string | null;
    status: string;
    tier: string | null;
    growth: number;
    birthday: string | null;
    referredBy: string | null;
    createdAt: string;
  };
  account: { balance: number; held: number };
  lots: { points: number; expiresAt: string | null }[];
  history: unknown[];
  /** false when the history was too long for one file and stops early. */
  historyComplete: boolean;
  vouchers: unknown[];
  payerLinks: unknown[];
  subscriptions: Record<string, number>;
  consents: Consent[];
  deletionRequest: DeletionRequest | null;
}

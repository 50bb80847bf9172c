/**
 * Every call the app makes, in one typed table. `path` is the HTTP route (H5);
 * `action` is the name in the cloud function named by `audience` (weapp) —
 * calls without one are not offered there. `{param}` in a path is filled from
 * the request. Member calls carry the member's session; staff calls the
 * staff token kept on the device (api/staff-session.ts).
 */
import type {
  CaptureResult,
  CheckInResult,
  CheckInStatus,
  ClaimResult,
  ClaimTicket,
  DataExport,
  DeletionRequest,
  EarningGuide,
  HistoryPage,
  LoginResponse,
  MemberView,
  PayCode,
  PayerLink,
  PayCodeStatus,
  Referral,
  Reward,
  StaffView,
  Subscriptions,
  TierPage,
  Voucher,
  VoucherUse,
} from './types.js'; // .js: this table is also read by the server's tests (NodeNext)

export type Audience = 'member' | 'staff';

export interface Endpoint<Req, Res> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  audience: Audience;
  action?: string;
  /** false only for login: it is what gets the session. */
  auth: boolean;
  /** Phantom fields carrying the types; never set at run time. */
  readonly _req?: Req;
  readonly _res?: Res;
}

type Declared<Req, Res> = Omit<Endpoint<Req, Res>, '_req' | '_res' | 'audience'>;
const endpoint = <Req, Res>(e: Declared<Req, Res>): Endpoint<Req, Res> => ({ ...e, audience: 'member' });
const staffEndpoint = <Req, Res>(e: Declared<Req, Res>): Endpoint<Req, Res> => ({ ...e, audience: 'staff' });

type Empty = Record<string, never>;

export const ENDPOINTS = {
  login: endpoint<{ code: string }, LoginResponse>({ method: 'POST', path: '/api/member/login', auth: false }),
  me: endpoint<Empty, MemberView>({ method: 'GET', path: '/api/member/me', action: 'me', auth: true }),
  history: endpoint<{ cursor?: string; limit?: number }, HistoryPage>({
    method: 'GET',
    path: '/api/member/history',
    action: 'history',
    auth: true,
  }),
  bindPhone: endpoint<{ code: string }, { phone: string; merged: number; balance: number }>({
    method: 'POST',
    path: '/api/member/bind-phone',
    action: 'bindPhone',
    auth: true,
  }),
  claim: endpoint<{ ticket: string }, ClaimResult>({
    method: 'POST',
    path: '/api/member/claim',
    action: 'claim',
    auth: true,
  }),
  rewards: endpoint<Empty, { items: Reward[] }>({ method: 'GET', path: '/api/rewards', action: 'rewards', auth: true }),
  redeem: endpoint<{ rewardId: string; requestId: string }, { voucher: Voucher; balance: number }>({
    method: 'POST',
    path: '/api/member/redeem',
    action: 'redeem',
    auth: true,
  }),
  vouchers: endpoint<Empty, { items: Voucher[] }>({
    method: 'GET',
    path: '/api/member/vouchers',
    action: 'vouchers',
    auth: true,
  }),
  payerLinks: endpoint<Empty, { items: PayerLink[] }>({
    method: 'GET',
    path: '/api/member/payer-links',
    action: 'payerLinks',
    auth: true,
  }),
  removePayerLink: endpoint<{ linkId: string }, null>({
    method: 'DELETE',
    path: '/api/member/payer-links/{linkId}',
    action: 'removePayerLink',
    auth: true,
  }),
  voucher: endpoint<{ voucherId: string }, Voucher>({
    method: 'GET',
    path: '/api/member/vouchers/{voucherId}',
    action: 'voucher',
    auth: true,
  }),
  cancelVoucher: endpoint<{ voucherId: string }, { voucher: Voucher; balance: number }>({
    method: 'POST',
    path: '/api/member/vouchers/{voucherId}/cancel',
    action: 'cancelVoucher',
    auth: true,
  }),
  createPayCode: endpoint<{ points?: number | null }, PayCode>({
    method: 'POST',
    path: '/api/member/pay-codes',
    action: 'createPayCode',
    auth: true,
  }),
  refreshPayCode: endpoint<{ holdId: string }, PayCode>({
    method: 'POST',
    path: '/api/member/pay-codes/{holdId}/refresh',
    action: 'refreshPayCode',
    auth: true,
  }),
  payCodeStatus: endpoint<{ holdId: string }, PayCodeStatus>({
    method: 'GET',
    path: '/api/member/pay-codes/{holdId}',
    action: 'payCodeStatus',
    auth: true,
  }),
  subscriptions: endpoint<Empty, Subscriptions>({
    method: 'GET',
    path: '/api/member/subscriptions',
    action: 'subscriptions',
    auth: true,
  }),
  reportSubscriptions: endpoint<{ accepted: string[] }, Subscriptions>({
    method: 'POST',
    path: '/api/member/subscriptions',
    action: 'reportSubscriptions',
    auth: true,
  }),
  checkInStatus: endpoint<Empty, CheckInStatus>({
    method: 'GET',
    path: '/api/member/check-in',
    action: 'checkInStatus',
    auth: true,
  }),
  checkIn: endpoint<Empty, CheckInResult>({
    method: 'POST',
    path: '/api/member/check-in',
    action: 'checkIn',
    auth: true,
  }),
  tier: endpoint<Empty, TierPage>({ method: 'GET', path: '/api/member/tier', action: 'tier', auth: true }),
  earning: endpoint<Empty, EarningGuide>({ method: 'GET', path: '/api/member/earning', action: 'earning', auth: true }),
  referral: endpoint<Empty, Referral>({ method: 'GET', path: '/api/member/referral', action: 'referral', auth: true }),
  acceptReferral: endpoint<{ code: string }, { accepted: true }>({
    method: 'POST',
    path: '/api/member/referral',
    action: 'acceptReferral',
    auth: true,
  }),
  setProfile: endpoint<{ birthday: string }, { birthday: string; points: number }>({
    method: 'PUT',
    path: '/api/member/profile',
    action: 'setProfile',
    auth: true,
  }),
  // Data rights (PIPL).
  dataExport: endpoint<Empty, DataExport>({
    method: 'GET',
    path: '/api/member/data-export',
    action: 'dataExport',
    auth: true,
  }),
  deletionRequest: endpoint<Empty, { request: DeletionRequest | null }>({
    method: 'GET',
    path: '/api/member/deletion-request',
    action: 'deletionRequest',
    auth: true,
  }),
  requestDeletion: endpoint<Empty, DeletionRequest>({
    method: 'POST',
    path: '/api/member/deletion-request',
    action: 'requestDeletion',
    auth: true,
  }),

  staffMe: staffEndpoint<Empty, StaffView>({ method: 'GET', path: '/api/staff/me', action: 'me', auth: true }),
  createClaim: staffEndpoint<{ channel: 'wechatpay' | 'alipay'; outTradeNo: string }, ClaimTicket>({
    method: 'POST',
    path: '/api/staff/claims',
    action: 'createClaim',
    auth: true,
  }),
  capture: staffEndpoint<{ code: string; orderNo: string; amountFen: number }, CaptureResult>({
    method: 'POST',
    path: '/api/staff/checkout/capture',
    action: 'capture',
    auth: true,
  }),
  voidCode: staffEndpoint<{ code: string }, { holdId: string; status: 'released' }>({
    method: 'POST',
    path: '/api/staff/checkout/void',
    action: 'void',
    auth: true,
  }),
  verifyVoucher: staffEndpoint<{ code: string }, VoucherUse>({
    method: 'POST',
    path: '/api/staff/vouchers/verify',
    action: 'verifyVoucher',
    auth: true,
  }),
} as const;

export type EndpointName = keyof typeof ENDPOINTS;
export type RequestOf<K extends EndpointName> =
  (typeof ENDPOINTS)[K] extends Endpoint<infer Req, unknown> ? Req : never;
export type ResponseOf<K extends EndpointName> =
  (typeof ENDPOINTS)[K] extends Endpoint<unknown, infer Res> ? Res : never;

/** What the live balance stream says (GET /api/member/events, event `balance`). */
export interface LiveBalance {
  balance: number;
  available: number;
  held: number;
}

/** What each platform's transport file exports. */
export interface Transport {
  init(): void;
  call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>>;
  /**
   * Pushes the member's balance as it changes, where the platform can hold a
   * stream open (H5 over the local server); returns the way to stop.
   * Absent elsewhere: the app polls instead (lib/use-live-balance.ts).
   */
  live?(onBalance: (b: LiveBalance) => void): () => void;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** A sentence for the member in Chinese: the server's details.zh, or the app's own. */
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

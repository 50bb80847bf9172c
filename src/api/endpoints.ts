/**
 * Every call the app makes, in one typed table. `path` is the HTTP route (H5);
 * `action` is the name in the `member` cloud function (weapp) — calls without
 * one are not offered there yet. `{param}` in a path is filled from the request.
 */
import type { HistoryPage, LoginResponse, MemberView, PayCode, PayCodeStatus, Reward, Voucher } from './types';

export interface Endpoint<Req, Res> {
  method: 'GET' | 'POST';
  path: string;
  action?: string;
  /** false only for login: it is what gets the session. */
  auth: boolean;
  /** Phantom fields carrying the types; never set at run time. */
  readonly _req?: Req;
  readonly _res?: Res;
}

const endpoint = <Req, Res>(e: Omit<Endpoint<Req, Res>, '_req' | '_res'>): Endpoint<Req, Res> => e;

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
  claim: endpoint<{ ticket: string }, { points: number; balance: number; status: 'credited' | 'waiting' }>({
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
} as const;

export type EndpointName = keyof typeof ENDPOINTS;
export type RequestOf<K extends EndpointName> =
  (typeof ENDPOINTS)[K] extends Endpoint<infer Req, unknown> ? Req : never;
export type ResponseOf<K extends EndpointName> =
  (typeof ENDPOINTS)[K] extends Endpoint<unknown, infer Res> ? Res : never;

/** What each platform's transport file exports. */
export interface Transport {
  init(): void;
  call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>>;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

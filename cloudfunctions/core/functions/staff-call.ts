/**
 * The `staff` cloud function's actions: the till and checkout screens call
 * them with the staff token in the data, `{ action, token, data }`. Each
 * action is the staff HTTP route of the same meaning, run in-process through
 * the one HTTP app (app.request, no socket), so authentication, store scope,
 * validation, idempotency and the answer's shape are the routes' own and
 * exist once. Answers are the member function's { ok, data } / { ok: false, error }.
 */
import type { App } from '../http/context.js';
import type { CallResult } from './member-call.js';

export interface StaffEvent {
  action?: unknown;
  token?: unknown;
  data?: unknown;
}

const ROUTES: Record<string, { method: 'GET' | 'POST'; path: string }> = {
  /** {} → who the token belongs to (name, store, role). */
  me: { method: 'GET', path: '/api/staff/me' },
  /** { channel, outTradeNo } → { ticket, expiresAt, link, qr } for the checkout QR. */
  createClaim: { method: 'POST', path: '/api/staff/claims' },
  /** { code } → { holdId, points, expiresAt, status }: the code becomes this store's. */
  scan: { method: 'POST', path: '/api/staff/checkout/scan' },
  /** { code, orderNo, amountFen } → { orderNo, points, discountFen }; once per order. */
  capture: { method: 'POST', path: '/api/staff/checkout/capture' },
  /** { code } → { holdId, status: 'released' }. */
  void: { method: 'POST', path: '/api/staff/checkout/void' },
  /** { orderNo, storeId?, reason? } → { orderNo, points }: a refunded order gets its points back (managers, HQ). */
  refund: { method: 'POST', path: '/api/staff/checkout/refund' },
  /** { code } → { voucherId, rewardId, rewardName, points, usedAt }. */
  verifyVoucher: { method: 'POST', path: '/api/staff/vouchers/verify' },
};

export const STAFF_ACTIONS = Object.keys(ROUTES);

const failure = (code: string, message: string, status: number): CallResult => ({
  ok: false,
  error: { code, message, status },
});

export async function staffCall(app: App, event: StaffEvent): Promise<CallResult> {
  const name = typeof event.action === 'string' ? event.action : '';
  const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
  if (!route) return failure('UNKNOWN_ACTION', `No action "${name}"; try one of ${STAFF_ACTIONS.join(', ')}.`, 404);
  if (typeof event.token !== 'string' || event.token === '') {
    return failure('UNAUTHORIZED', 'Send the staff token as `token`.', 401);
  }
  const data = event.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data))
    return failure('VALIDATION_FAILED', 'data: must be an object', 400);
  const authorization = `Bearer ${event.token}`;
  const res = await app.request(
    route.path,
    route.method === 'GET'
      ? { headers: { authorization } }
      : { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(data) },
  );
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok) return { ok: true, data: body };
  const { code = 'HTTP_' + res.status, message = res.statusText, details } = body ?? {};
  return {
    ok: false,
    error: { code: String(code), message: String(message), status: res.status, ...(details ? { details } : {}) },
  };
}

/**
 * Calling a cloud function, whatever carries it (wx.cloud in the
 * mini-program, @cloudbase/js-sdk on the web): what is sent — the action,
 * the staff token for staff calls, the request — and how the function's
 * { ok, data } / { ok: false, error } answer (core/functions/*-call.ts)
 * becomes the data or an ApiError.
 */
import { ApiError, ENDPOINTS, type Audience, type EndpointName } from './endpoints';
import { zhOf } from './refusal';
import { requireStaffToken, staffRefused } from './staff-session';

export type CallResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; status: number; details?: unknown } };

/** The function to call and its event data; refuses calls no function offers and staff calls without a token. */
export function functionRequest(name: EndpointName, req: unknown): { fn: Audience; data: Record<string, unknown> } {
  const ep = ENDPOINTS[name];
  const action = 'action' in ep ? ep.action : undefined;
  if (!action)
    throw new ApiError('NOT_A_FUNCTION_ACTION', `${name} is not a cloud function action`, 501, '暂不支持该功能');
  if (ep.audience === 'member') return { fn: 'member', data: { action, data: req } };
  return { fn: 'staff', data: { action, token: requireStaffToken(), data: req } };
}

/** The function's answer as data, or its refusal as an ApiError; a refused staff token is forgotten. */
export function unwrap<T>(fn: Audience, result: CallResult<T>, zhFallback?: (status: number) => string | undefined): T {
  if (result.ok) return result.data;
  const { code, message, status, details } = result.error;
  if (fn === 'staff') staffRefused(status);
  throw new ApiError(code, message, status, zhFallback?.(status) ?? zhOf(details));
}

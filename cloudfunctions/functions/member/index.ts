/**
 * `member`: wx.cloud.callFunction({ name: 'member', data: { action, data } })
 * from the mini-program (and the H5 app through @cloudbase/js-sdk). The
 * actions are core/functions/member-call.ts; this only says who is calling.
 */
import { memberCall, type CallEvent, type CallResult } from '../../core/functions/member-call.js';
import { callerOf } from '../caller.js';
import { startFailure, warmServices } from '../runtime.js';

export async function main(event: CallEvent, context?: unknown): Promise<CallResult> {
  const caller = callerOf(context);
  // A mini-program user is their OPENID. A web user counts only when signed
  // in with a custom-login ticket, whose user id our side sets to the
  // member's mini-program openid; an anonymous web sign-in is nobody.
  const openid = caller.openid ?? caller.customUserId;
  let services;
  try {
    services = await warmServices();
  } catch (e) {
    return { ok: false, error: startFailure(e) };
  }
  return memberCall(services, event, { OPENID: openid ?? undefined, UNIONID: caller.unionid ?? undefined });
}

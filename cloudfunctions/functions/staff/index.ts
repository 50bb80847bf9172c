/**
 * `staff`: callFunction({ name: 'staff', data: { action, token, data } }) from
 * the till. The staff token, not the WeChat identity, is the credential: the
 * same token the HTTP staff routes take (core/functions/staff-call.ts).
 */
import type { CallResult } from '../../core/functions/member-call.js';
import { staffCall, type StaffEvent } from '../../core/functions/staff-call.js';
import { warmApp } from '../app-runtime.js';
import { startFailure } from '../runtime.js';

export async function main(event: StaffEvent): Promise<CallResult> {
  let app;
  try {
    app = await warmApp();
  } catch (e) {
    return { ok: false, error: startFailure(e) };
  }
  return staffCall(app, event);
}

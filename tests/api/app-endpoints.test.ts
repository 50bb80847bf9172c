/**
 * The app's endpoint table against the server: every call the app makes
 * exists as an HTTP route (H5) and, where it names an action, in the cloud
 * function of its audience (weapp), so neither transport can drift.
 */
import { describe, expect, it } from 'vitest';
import { MEMBER_ACTIONS } from '../../cloudfunctions/core/functions/member-call.js';
import { STAFF_ACTIONS } from '../../cloudfunctions/core/functions/staff-call.js';
import { ENDPOINTS } from '../../src/api/endpoints.js';
import openapiRoutes from '../support/openapi-routes.js';

describe('app endpoint table', () => {
  it('names only actions the member and staff functions have', () => {
    const actions = { member: MEMBER_ACTIONS, staff: STAFF_ACTIONS };
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      if (!('action' in ep) || !ep.action) continue;
      expect(actions[ep.audience], `${name} → ${ep.audience}.${ep.action}`).toContain(ep.action);
    }
  });

  it('offers every call in the mini-program except login (WeChat injects the identity there)', () => {
    const without = Object.entries(ENDPOINTS).filter(([, ep]) => !('action' in ep) || !ep.action);
    expect(without.map(([name]) => name)).toEqual(['login']);
  });

  it('uses only routes the server documents', async () => {
    const routes = await openapiRoutes();
    for (const [name, ep] of Object.entries(ENDPOINTS)) {
      expect(routes, name).toContainEqual(`${ep.method} ${ep.path}`);
    }
  });
});

/**
 * Who may call each /api/admin/* route, by role: the one place the console's
 * roles are enforced (auth.ts asks `mayCall` for every admin request), and
 * the table the README's matrix is written from. A route not listed here is
 * HQ's alone, so a new route is closed to managers and cashiers until
 * someone decides otherwise. Keys are "METHOD /path/{param}" as in
 * /openapi.json.
 *
 * Managers and cashiers act for their stores only: where a route they may
 * call lists things of many stores, the handler narrows it to theirs
 * (`storesOf` below).
 */
import type { ConsoleCaller, Role } from '../services/operators.js';

const HQ: readonly Role[] = ['hq'];
const MANAGERS: readonly Role[] = ['hq', 'manager'];
const EVERYONE: readonly Role[] = ['hq', 'manager', 'cashier'];

export const ROLE_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/console/me': EVERYONE,
  // Looking a member up to help them at the counter: read-only.
  'GET /api/admin/members': EVERYONE,
  'GET /api/admin/members/{memberId}': EVERYONE,
  'GET /api/admin/members/{memberId}/history': EVERYONE,
  // Their own stores and what those stores did.
  'GET /api/admin/stores': MANAGERS,
  'GET /api/admin/staff': MANAGERS,
  'GET /api/admin/rewards': MANAGERS,
  'GET /api/admin/rules': MANAGERS,
  'GET /api/admin/tiers': MANAGERS,
  // Their stores' report, by store (the chain's liability is HQ's).
  'GET /api/admin/reports/daily': MANAGERS,
};

/** Whether a role may call the route ("GET /api/admin/…"); unknown routes are HQ's. */
export const mayCall = (role: Role, route: string): boolean => (ROLE_MATRIX[route] ?? HQ).includes(role);

/** The stores a caller's lists are narrowed to; null means every store (HQ). */
export const storesOf = (caller: ConsoleCaller): ReadonlySet<string> | null =>
  caller.role === 'hq' ? null : new Set(caller.storeIds);

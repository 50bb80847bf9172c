/** Bearer credentials: member sessions, staff tokens, console operators and the HQ admin token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errors } from '../domain/errors.js';
import { BOOTSTRAP_CALLER } from '../services/operators.js';
import { HQ_CALLER } from '../services/staff.js';
import { mayCall } from './role-matrix.js';
import { routeOf } from './route-of.js';
import type { AppEnv, Services } from './context.js';

export function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw errors.unauthorized('Send Authorization: Bearer <token>.');
  return match[1]!;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function memberAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const memberId = await s.sessions.memberOf(bearer(c.req.header('authorization')));
    // Sessions are stateless; an erasure must still end them, or the erased account stays reachable.
    const member = await s.store.getMember(memberId);
    if (member?.erasedAt) throw errors.unauthorized('This membership was deleted; log in again to start a new one.');
    c.set('memberId', memberId);
    c.set('member', member);
    await next();
  };
}

/** A valid credential of the wrong kind is 403; an unknown one 401. */
async function refuse(s: Services, token: string, message: string): Promise<never> {
  const isMember = await s.sessions.memberOf(token).then(
    () => true,
    () => false,
  );
  const known =
    isMember || (await s.staff.authenticate(token)) !== null || (await s.operators.authenticate(token)) !== null;
  throw known ? errors.forbidden(message) : errors.unauthorized('The token is wrong or revoked.');
}

/**
 * /api/admin/*: an operator's session (the console) or the bootstrap admin
 * token, then the role matrix (role-matrix.ts) for the route being called.
 * A refusal happens before the handler runs, so it writes nothing.
 */
export function adminAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const caller = sameSecret(token, s.config.adminToken) ? BOOTSTRAP_CALLER : await s.operators.authenticate(token);
    if (!caller) return refuse(s, token, 'HQ routes need an operator session or the admin token.');
    const route = routeOf(c);
    if (route && !mayCall(caller.role, route)) {
      throw errors.forbidden(`A ${caller.role} may not call ${route}; ask HQ.`);
    }
    c.set('callerId', caller.id === BOOTSTRAP_CALLER.id ? 'hq' : `op:${caller.username}`);
    c.set('operator', caller);
    await next();
  };
}

/** Staff routes: a store-scoped staff token, or the HQ admin token (unscoped). */
export function staffAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    const caller = sameSecret(token, s.config.adminToken) ? HQ_CALLER : await s.staff.authenticate(token);
    if (!caller) return refuse(s, token, 'Staff routes need a staff or HQ token.');
    c.set('caller', caller);
    await next();
  };
}

/** Bearer credentials: member session tokens and the HQ admin token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errors } from '../domain/errors.js';
import type { AppEnv, Services } from './context.js';

function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw errors.unauthorized('Send Authorization: Bearer <token>.');
  return match[1]!;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function memberAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('memberId', await s.sessions.memberOf(bearer(c.req.header('authorization'))));
    await next();
  };
}

export function adminAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c.req.header('authorization'));
    if (!sameSecret(token, s.config.adminToken)) {
      // A member's valid session is a credential, just not HQ's.
      const isMember = await s.sessions.memberOf(token).then(
        () => true,
        () => false,
      );
      throw isMember
        ? errors.forbidden('HQ routes need the admin token.')
        : errors.unauthorized('The admin token is wrong.');
    }
    c.set('callerId', 'hq');
    await next();
  };
}

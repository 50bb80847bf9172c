/**
 * Rate limits over HTTP (services/rate-limits.ts holds the rules): per
 * address for unauthenticated requests and for refused credentials, per
 * member or staff token for the actions a script would hammer. Payment
 * notifications never pass through here.
 */
import { HEADERS } from '../open/signature.js';
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { LimitName } from '../services/rate-limits.js';
import type { AppEnv, Services } from './context.js';

/**
 * The client's address: the socket's, or behind a trusted proxy the last
 * X-Forwarded-For hop it added. null when neither is known (a cloud function
 * behind a gateway without JIFEN_TRUST_PROXY): then no per-address limit
 * applies, rather than one shared bucket that a single client could empty
 * for everyone.
 */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    if (hops.length > 0) return hops[hops.length - 1]!;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

/**
 * Unauthenticated requests count against their address; so does every 401,
 * and an address that used up its 401s is refused before its credential is
 * even looked at (no token guessing).
 */
export function addressLimits(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = s.limits.enabled ? clientAddress(c, s.config.trustProxy) : null;
    if (address === null) return next();
    // A signed open API request carries its credential in X-Jifen-Signature: a busy POS is not an anonymous caller.
    const credentialed = c.req.header('authorization') !== undefined || c.req.header(HEADERS.signature) !== undefined;
    if (credentialed) {
      const wait = await s.limits.waitOf('authFailure', address);
      if (wait !== null) await s.limits.take('authFailure', address); // throws RATE_LIMITED with the wait
    } else {
      await s.limits.take('address', address);
    }
    await next();
    if (c.res.status === 401) await s.limits.take('authFailure', address).catch(() => undefined);
  };
}

/** Counts each changing request (not reads such as a status poll) against `name` for the key `keyOf` gives. */
export function limitBy(
  s: Services,
  name: LimitName,
  keyOf: (c: Context<AppEnv>) => string | null,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.method !== 'GET' && c.req.method !== 'HEAD' ? keyOf(c) : null;
    if (key !== null) await s.limits.take(name, key);
    await next();
  };
}

export const byMember = (c: Context<AppEnv>) => c.get('memberId');
export const byCaller = (c: Context<AppEnv>) => c.get('caller').id;
export const byAddress = (s: Services) => (c: Context<AppEnv>) => clientAddress(c, s.config.trustProxy);

/**
 * Member session tokens: HS256 JWTs signed with a key derived from
 * JIFEN_SECRET, expiring. Signed with hono/jwt; checked here with node:crypto
 * (synchronous, one cached HMAC key), because every member request checks
 * one and hono/jwt imports the WebCrypto key anew each time (issue 13: 8% of
 * a `GET /me`). The check accepts only what issue() makes: HS256, a `member`
 * subject, an expiry still ahead and an issue time not in the future.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { sign } from 'hono/jwt';
import { errors } from '../domain/errors.js';

export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
/** An HMAC-SHA256 in unpadded base64url: 43 characters. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export class Sessions {
  private readonly key: string;
  private readonly hmacKey: KeyObject;

  constructor(
    secret: string,
    private readonly clock: () => number,
  ) {
    // A purpose-bound subkey, so the same secret can also key phone encryption.
    this.key = createHmac('sha256', secret).update('jifen/session/v1').digest('base64url');
    this.hmacKey = createSecretKey(Buffer.from(this.key, 'utf8')); // hono/jwt keys HMAC with the string's UTF-8 bytes
  }

  async issue(memberId: string): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock() / 1000);
    const exp = now + SESSION_TTL_SECONDS;
    const token = await sign({ sub: memberId, typ: 'member', iat: now, exp }, this.key, 'HS256');
    return { token, expiresAt: exp * 1000 };
  }

  /** The member id in a valid token; 401 otherwise. */
  async memberOf(token: string): Promise<string> {
    const sub = this.verified(token);
    if (sub === null) throw errors.unauthorized('The session token is invalid or expired; please log in again.');
    return sub;
  }

  private verified(token: string): string | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head, body, signature] = parts as [string, string, string];
    // Only the one spelling issue() writes: Node's decoder would also take padding, stray characters or `+`.
    if (!SIGNATURE.test(signature)) return null;
    const given = Buffer.from(signature, 'base64url');
    const expected = createHmac('sha256', this.hmacKey).update(`${head}.${body}`).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const header = parseJson(head);
    const payload = parseJson(body);
    if (header?.alg !== 'HS256' || !payload) return null;
    const now = Math.floor(this.clock() / 1000);
    const { sub, typ, exp, iat, nbf } = payload;
    if (typ !== 'member' || typeof sub !== 'string' || !Number.isFinite(exp) || (exp as number) <= now) return null;
    if ((typeof iat === 'number' && iat > now) || (typeof nbf === 'number' && nbf > now)) return null;
    return sub;
  }
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Member session tokens: HS256 JWTs signed with a key derived from JIFEN_SECRET, expiring. */
import { createHmac } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { errors } from '../domain/errors.js';

export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

export class Sessions {
  private readonly key: string;

  constructor(
    secret: string,
    private readonly clock: () => number,
  ) {
    // A purpose-bound subkey, so the same secret can also key phone encryption.
    this.key = createHmac('sha256', secret).update('jifen/session/v1').digest('base64url');
  }

  async issue(memberId: string): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock() / 1000);
    const exp = now + SESSION_TTL_SECONDS;
    const token = await sign({ sub: memberId, typ: 'member', iat: now, exp }, this.key, 'HS256');
    return { token, expiresAt: exp * 1000 };
  }

  /** The member id in a valid token; 401 otherwise. */
  async memberOf(token: string): Promise<string> {
    try {
      const payload = await verify(token, this.key, 'HS256');
      if (payload.typ !== 'member' || typeof payload.sub !== 'string') throw new Error('not a member token');
      return payload.sub;
    } catch {
      throw errors.unauthorized('The session token is invalid or expired; please log in again.');
    }
  }
}

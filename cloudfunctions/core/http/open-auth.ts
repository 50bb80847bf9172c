/**
 * The open API's credential: every /open/v1 request is signed with its
 * key's secret (open/signature.ts). The body is read here as bytes, hashed
 * for the signature, and left for the route to parse (Hono keeps it).
 */
import type { MiddlewareHandler } from 'hono';
import { DomainError, errors } from '../domain/errors.js';
import { HEADERS } from '../open/signature.js';
import type { AppEnv, Services } from './context.js';

export function openAuth(s: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = (name: string) => c.req.header(name) ?? '';
    const [keyId, timestamp, nonce, signature] = [
      header(HEADERS.keyId),
      header(HEADERS.timestamp),
      header(HEADERS.nonce),
      header(HEADERS.signature),
    ];
    const missing = Object.entries({ keyId, timestamp, nonce, signature }).find(([, v]) => v === '');
    if (missing) {
      throw new DomainError(
        'SIGNATURE_INVALID',
        'Sign every request: X-Jifen-Key-Id, X-Jifen-Timestamp, X-Jifen-Nonce and X-Jifen-Signature (docs/open-api.md).',
        401,
      );
    }
    if (!/^[\x21-\x7e]{16,64}$/.test(nonce))
      throw errors.validation('X-Jifen-Nonce is 16 to 64 visible ASCII characters.');
    const url = new URL(c.req.url);
    const body = new Uint8Array(await c.req.arrayBuffer());
    const key = await s.integrations.verify(
      keyId,
      { method: c.req.method, pathWithQuery: url.pathname + url.search, timestamp, nonce, body },
      signature,
    );
    c.set('integration', key);
    c.set('callerId', `open:${key.keyId}`);
    await next();
  };
}

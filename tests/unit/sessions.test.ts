/**
 * Member session tokens (services/sessions.ts): signed by hono/jwt, checked
 * with node:crypto. What a token must be to pass, and each way it can fail.
 */
import { createHmac } from 'node:crypto';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { SESSION_TTL_SECONDS, Sessions } from '../../cloudfunctions/core/services/sessions.js';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const NOW = Date.UTC(2026, 11, 3, 12) as number;
const clock = { now: NOW };
const sessions = new Sessions(SECRET, () => clock.now);
/** The key Sessions signs with (a purpose-bound subkey of the secret). */
const KEY = createHmac('sha256', SECRET).update('jifen/session/v1').digest('base64url');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (head: string, body: string, key = KEY) =>
  `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
const claims = (over: Record<string, unknown> = {}) => ({
  sub: 'm_1',
  typ: 'member',
  iat: NOW / 1000,
  exp: NOW / 1000 + 60,
  ...over,
});

const refused = (token: string) =>
  expect(sessions.memberOf(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });

describe('Sessions', () => {
  it('a token it issued names the member until it expires, and not a second after', async () => {
    clock.now = NOW;
    const { token, expiresAt } = await sessions.issue('m_42');
    expect(expiresAt).toBe(NOW + SESSION_TTL_SECONDS * 1000);
    await expect(sessions.memberOf(token)).resolves.toBe('m_42');
    clock.now = expiresAt - 1000;
    await expect(sessions.memberOf(token)).resolves.toBe('m_42');
    clock.now = expiresAt;
    await refused(token);
    clock.now = NOW;
  });

  it('accepts an HS256 token made by hono/jwt with the same key (what earlier releases issued)', async () => {
    const token = await sign(claims(), KEY, 'HS256');
    await expect(sessions.memberOf(token)).resolves.toBe('m_1');
  });

  it('refuses a changed payload, another key, another algorithm, and alg none', async () => {
    const good = hs256(b64({ alg: 'HS256', typ: 'JWT' }), b64(claims()));
    const [head, , sig] = good.split('.');
    await refused(`${head}.${b64(claims({ sub: 'm_2' }))}.${sig}`);
    await refused(hs256(b64({ alg: 'HS256', typ: 'JWT' }), b64(claims()), 'another-key'));
    await refused(await sign(claims(), KEY, 'HS512'));
    await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`);
    // A correct HMAC over a header that does not say HS256 is still refused.
    await refused(hs256(b64({ alg: 'HS512', typ: 'JWT' }), b64(claims())));
    // The same signature bytes spelled otherwise (padding, a stray character, base64's + and /) are refused too.
    const bytes = Buffer.from(sig!, 'base64url');
    for (const other of [
      `${sig}=`,
      `${sig!.slice(0, 10)}!${sig!.slice(10)}`,
      bytes.toString('base64').replace(/=+$/, ''),
    ]) {
      if (other !== sig) await refused(`${head}.${good.split('.')[1]}.${other}`);
    }
  });

  it('refuses other subjects, a missing or past expiry, and a token issued or valid only in the future', async () => {
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const make = (over: Record<string, unknown>) => hs256(head, b64(claims(over)));
    await expect(sessions.memberOf(make({}))).resolves.toBe('m_1');
    await refused(make({ typ: 'staff' }));
    await refused(make({ sub: 42 }));
    await refused(make({ exp: undefined }));
    await refused(make({ exp: NOW / 1000 }));
    // An expiry JSON reads as Infinity: never valid.
    const forever = JSON.stringify(claims()).replace(/"exp":[\d.]+/, '"exp":1e999');
    expect(forever).toContain('1e999');
    await refused(hs256(head, Buffer.from(forever).toString('base64url')));
    await refused(make({ iat: NOW / 1000 + 5 }));
    await refused(make({ nbf: NOW / 1000 + 5 }));
  });

  it('refuses what is not a token at all', async () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c.d', `${b64({ alg: 'HS256' })}.not-json.x`, '..']) await refused(bad);
    await refused(hs256(b64({ alg: 'HS256' }), Buffer.from('[1,2]').toString('base64url')));
    await refused(hs256(Buffer.from('"HS256"').toString('base64url'), b64(claims())));
  });
});

/** Small JSON-over-HTTP helpers for tests that talk to a real server or to app.request(). */
import { TEST_ADMIN_TOKEN } from './server-process.js';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

export function urlFetcher(base: string): Fetcher {
  return (path, init) => fetch(base + path, init);
}

export async function call<T = any>(
  f: Fetcher,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await f(path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export async function login(f: Fetcher, code: string): Promise<{ token: string; memberId: string }> {
  const r = await call(f, 'POST', '/api/member/login', { body: { code } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, memberId: r.body.member.id };
}

export function adjust(f: Fetcher, memberId: string, points: number, idempotencyKey: string, token = TEST_ADMIN_TOKEN) {
  return call(f, 'POST', `/api/admin/members/${memberId}/adjust`, {
    token,
    body: { points, reason: 'test', idempotencyKey },
  });
}

/**
 * Over HTTP: the real server as a child process (what `npm start` runs) on
 * 127.0.0.1, driven with Node's fetch. Client and server share this
 * machine's cores, so these numbers are a floor, not a server's capacity.
 */
import { startServer, TEST_ADMIN_TOKEN } from '../support/server-process.js';
import type { Checks } from './checks.js';
import { runPool, summarize, type Row } from './stats.js';

export interface HttpSizes {
  members: number;
  grants: number;
  reads: number;
  concurrency: number;
  writeMaxMs: number;
  readMaxMs: number;
}

export interface HttpResult {
  rows: Row[];
  /** Points the HTTP phase acknowledged granting. */
  liability: number;
}

class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request(base: string, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // Always read the body: an unread body keeps the keep-alive socket busy.
  const text = await res.text();
  if (res.status !== 200) throw new HttpError(`HTTP_${res.status}`, text.slice(0, 200));
  return { json: JSON.parse(text) as Record<string, any>, headers: res.headers };
}

export async function benchHttp(
  label: string,
  databaseUrl: string,
  size: HttpSizes,
  checks: Checks,
  progress: (msg: string) => void,
): Promise<HttpResult> {
  progress(`${label}: starting the server…`);
  const server = await startServer(databaseUrl);
  const base = server.url;
  const writes = { count: 0, concurrency: size.concurrency, maxMs: size.writeMaxMs };
  const rows: Row[] = [];
  let liability = 0;
  try {
    progress(`${label}: http logins (${size.members})…`);
    const sessions: Array<{ token: string; memberId: string }> = [];
    const logins = await runPool('POST login (new member)', { ...writes, count: size.members }, async (i) => {
      const { json } = await request(base, 'POST', '/api/member/login', undefined, { code: `bench-http-${i}` });
      sessions.push({ token: json.token, memberId: json.member.id });
    });
    rows.push(summarize(logins, 'also warms the server up'));
    if (sessions.length === 0) throw new Error(`${label}: no login succeeded: ${JSON.stringify(logins.errors)}`);

    const grant = async (key: string, i: number) => {
      const s = sessions[i % sessions.length]!;
      const { headers } = await request(base, 'POST', `/api/admin/members/${s.memberId}/adjust`, TEST_ADMIN_TOKEN, {
        points: 5,
        reason: 'bench',
        idempotencyKey: key,
      });
      if (headers.get('idempotent-replayed')) throw new HttpError('UNEXPECTED_REPLAY', key);
      liability += 5;
    };
    const me = (i: number) => request(base, 'GET', '/api/member/me', sessions[i % sessions.length]!.token);

    // Untimed warm-up so the first JIT-compiled requests do not land in the percentiles.
    await runPool('warm-up', { count: 200, concurrency: size.concurrency, maxMs: size.readMaxMs }, (i) =>
      i % 2 ? grant(`warm-${i}`, i) : me(i),
    );

    // The HTTP plumbing alone (and a store ping): the floor under the numbers below.
    progress(`${label}: http baseline (GET /healthz)…`);
    const health = await runPool(
      'GET /healthz (baseline)',
      { count: 2000, concurrency: size.concurrency, maxMs: size.readMaxMs },
      () => request(base, 'GET', '/healthz'),
    );
    rows.push(summarize(health, 'no ledger work'));

    progress(`${label}: http grants (${size.grants}, ${size.concurrency} in flight)…`);
    const grants = await runPool('POST adjust (grant)', { ...writes, count: size.grants }, (i) =>
      grant(`grant-${i}`, i),
    );
    rows.push(summarize(grants, 'unique idempotencyKey'));

    progress(`${label}: http reads (${size.reads}, ${size.concurrency} in flight)…`);
    const reads = await runPool(
      'GET /api/member/me',
      { count: size.reads, concurrency: size.concurrency, maxMs: size.readMaxMs },
      me,
    );
    rows.push(summarize(reads));
  } finally {
    await server.stop();
  }
  // The server logs at LOG_LEVEL=warn: any pino line at warn (40) or above is worth seeing.
  const loud = server
    .output()
    .split('\n')
    .filter((l) => /"level":(40|50|60)\b/.test(l));
  const exit = server.proc.exitCode ?? server.proc.signalCode;
  checks.add(
    `${label} server log`,
    loud.length === 0,
    loud.length === 0
      ? `no warnings or errors; exited ${exit}`
      : `${loud.length} warn/error lines, first: ${loud.slice(0, 3).join(' | ').slice(0, 600)}`,
  );
  return { rows, liability };
}

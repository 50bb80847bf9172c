/** What the system tests read back from a running server: history, balances, the ledger report. */
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { call, urlFetcher, type Fetcher } from '../support/http.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';

export interface HistoryItem {
  id: string;
  kind: string;
  delta: number;
  balanceAfter: number | null;
}

export interface LedgerReport {
  ok: boolean;
  problems: string[];
}

/** Every event of a member, newest first, paging 100 at a time through nextCursor. */
export async function fullHistory(f: Fetcher, token: string): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const r = await call(f, 'GET', `/api/member/history${query}`, { token });
    if (r.status !== 200) throw new Error(`history answered ${r.status}: ${JSON.stringify(r.body)}`);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('history did not end after 1000 pages');
}

export async function balanceOf(f: Fetcher, memberId: string): Promise<number> {
  const r = await call(f, 'GET', `/api/admin/members/${memberId}`, { token: TEST_ADMIN_TOKEN });
  if (r.status !== 200) throw new Error(`member view answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.balance;
}

export async function ledgerReport(f: Fetcher): Promise<LedgerReport> {
  const r = await call<LedgerReport>(f, 'GET', '/api/admin/ledger/verify', { token: TEST_ADMIN_TOKEN });
  if (r.status !== 200) throw new Error(`verify answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export const fetcherOf = (s: ServerProcess): Fetcher => urlFetcher(s.url);

/** Starts n servers on one database, one after the other. */
export async function startServers(databaseUrl: string, n: number): Promise<ServerProcess[]> {
  const servers: ServerProcess[] = [];
  for (let i = 0; i < n; i++) servers.push(await startServer(databaseUrl));
  return servers;
}

export async function stopAll(servers: ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

/** Removes the temporary directory backends() made for a sqlite: URL; other URLs are left alone. */
export function removeSqliteDir(databaseUrl: string): void {
  if (!databaseUrl.startsWith('sqlite:')) return;
  const dir = dirname(databaseUrl.slice('sqlite:'.length));
  if (basename(dir).startsWith('jifen-sqlite-')) rmSync(dir, { recursive: true, force: true });
}

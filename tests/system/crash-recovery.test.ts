/**
 * Must show: kill -9 of the server under a write load loses no acknowledged
 * write and leaves a ledger that verifies, on SQLite (WAL, synchronous=FULL)
 * and on PostgreSQL.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { adjust, login, type Fetcher } from '../support/http.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { inPool } from './stream-checks.js';
import {
  balanceOf,
  fetcherOf,
  fullHistory,
  ledgerReport,
  removeSqliteDir,
  stopAll,
  type HistoryItem,
} from './ledger-probe.js';

const MEMBERS = 6;
const IN_FLIGHT = 32;
const LOAD_MS = 1500;

type Member = { memberId: string; token: string };
type Write = { member: Member; points: number; key: string };
type Outcome =
  | { write: Write; kind: 'acked'; eventId: string }
  | { write: Write; kind: 'refused' | 'lost' | 'unexpected'; detail: unknown };
type Acked = Extract<Outcome, { kind: 'acked' }>;
const isAcked = (o: Outcome): o is Acked => o.kind === 'acked';

/** Mostly grants of 1..50, every fourth a debit of 1..13 (refused when the member lacks the points). */
function nthWrite(members: Member[], prefix: string, n: number): Write {
  const points = n % 4 === 3 ? -((n % 13) + 1) : (n % 50) + 1;
  return { member: members[n % members.length]!, points, key: `${prefix}-${n}` };
}

async function send(f: Fetcher, write: Write): Promise<Outcome> {
  try {
    const r = await adjust(f, write.member.memberId, write.points, write.key);
    if (r.status === 200) return { write, kind: 'acked', eventId: r.body.event.id };
    const refused = r.status === 409 && r.body.code === 'INSUFFICIENT_POINTS';
    return { write, kind: refused ? 'refused' : 'unexpected', detail: [r.status, r.body] };
  } catch (e) {
    return { write, kind: 'lost', detail: String((e as Error).cause ?? e) };
  }
}

/**
 * Keeps IN_FLIGHT writes going for LOAD_MS, then crashes the server the
 * moment a worker has just sent a write: that one cannot have been answered,
 * so at least one write is cut off mid-flight. (Killing at an arbitrary
 * moment could find every answer already delivered: group commit answers a
 * whole group of writes at once.)
 */
async function loadThenKill(server: ServerProcess, members: Member[], prefix: string): Promise<Outcome[]> {
  const f = fetcherOf(server);
  const outcomes: Outcome[] = [];
  let next = 0;
  let armed = false;
  let killed: Promise<void> | null = null;
  const worker = async () => {
    while (!killed) {
      const pending = send(f, nthWrite(members, prefix, next++));
      if (armed && !killed) killed = server.kill(); // SIGKILL is sent synchronously, before any answer to this write
      outcomes.push(await pending);
    }
  };
  const workers = Array.from({ length: IN_FLIGHT }, worker);
  await sleep(LOAD_MS);
  armed = true;
  await Promise.all(workers);
  await killed;
  return outcomes;
}

async function histories(f: Fetcher, members: Member[]): Promise<Map<Member, HistoryItem[]>> {
  return new Map(await Promise.all(members.map(async (m) => [m, await fullHistory(f, m.token)] as const)));
}

/** Each member's balance is the sum of the deltas in their history; the ledger verifies. */
async function expectConsistent(f: Fetcher, members: Member[], history: Map<Member, HistoryItem[]>): Promise<void> {
  const report = await ledgerReport(f);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  for (const m of members) {
    const items = history.get(m)!;
    const balance = await balanceOf(f, m.memberId);
    expect(balance).toBe(items.reduce((sum, h) => sum + h.delta, 0));
    if (items.length > 0) expect(items[0]!.balanceAfter).toBe(balance);
  }
}

for (const b of backends({ acrossProcesses: true })) {
  const title = `kill -9 under a write load on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`;
  describe.skipIf(b.skip !== '')(title, () => {
    const servers: ServerProcess[] = [];
    let url = '';
    afterAll(async () => {
      await stopAll(servers);
      removeSqliteDir(url);
    });

    it('after a restart every acknowledged write is present, replays of unacknowledged ones apply at most once, and the ledger verifies', async () => {
      url = await b.freshUrl();
      const first = await startServer(url);
      servers.push(first);
      const f1 = fetcherOf(first);
      const members: Member[] = [];
      for (let i = 0; i < MEMBERS; i++) members.push(await login(f1, `crash-${b.name}-${i}`));

      const outcomes = await loadThenKill(first, members, `crash-${b.name}`);
      const acked = outcomes.filter(isAcked);
      const lost = outcomes.filter((o) => o.kind === 'lost');
      expect(outcomes.filter((o) => o.kind === 'unexpected')).toEqual([]);
      expect(acked.length).toBeGreaterThan(0);
      // The kill did cut requests off mid-flight; otherwise this test proves nothing about a crash.
      expect(lost.length).toBeGreaterThan(0);

      const second = await startServer(url);
      servers.push(second);
      const f2 = fetcherOf(second);

      const replays = await inPool(acked, IN_FLIGHT, async (o) => {
        const r = await adjust(f2, o.write.member.memberId, o.write.points, o.write.key);
        const same =
          r.status === 200 && r.headers.get('idempotent-replayed') === 'true' && r.body.event?.id === o.eventId;
        return same
          ? null
          : `${o.write.key} (event ${o.eventId}): ${r.status} ${r.headers.get('idempotent-replayed')} ${JSON.stringify(r.body)}`;
      });
      expect(replays.filter((x) => x !== null)).toEqual([]);

      let history = await histories(f2, members);
      const missing = acked.filter((o) => {
        const item = history.get(o.write.member)!.find((h) => h.id === o.eventId);
        return item?.delta !== o.write.points;
      });
      expect(missing.map((o) => o.write.key)).toEqual([]);
      await expectConsistent(f2, members, history);

      // Unacknowledged writes may or may not have landed: a retry replays or applies them, once.
      const retried = await inPool(lost, IN_FLIGHT, (o) => send(f2, o.write));
      const retriedAcked = retried.filter(isAcked);
      const notAcked = retried.filter((o) => o.kind !== 'acked' && !(o.kind === 'refused' && o.write.points < 0));
      expect(notAcked).toEqual([]);

      history = await histories(f2, members);
      await expectConsistent(f2, members, history);
      // Exactly the acknowledged writes are in the ledger: none twice, none that was refused or never acknowledged.
      const inLedger = [...history.values()].flat().map((h) => h.id);
      const expected = [...acked, ...retriedAcked].map((o) => o.eventId);
      expect(inLedger).toHaveLength(expected.length);
      expect(new Set(inLedger)).toEqual(new Set(expected));
    });
  });
}

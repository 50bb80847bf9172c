/**
 * Must show: concurrent debits through HTTP never overdraw, and exactly as
 * many succeed as the balance allows, with two server processes sharing one
 * database (one SQLite file, or one PostgreSQL database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { adjust, login, type Fetcher } from '../support/http.js';
import type { ServerProcess } from '../support/server-process.js';
import {
  balanceOf,
  fetcherOf,
  fullHistory,
  ledgerReport,
  removeSqliteDir,
  startServers,
  stopAll,
} from './ledger-probe.js';

const GRANT = 300;
const DEBITS = 1000;
const REPEATS = 10;

for (const b of backends({ acrossProcesses: true })) {
  const title = `two servers on one ${b.name} database${b.skip ? ` (skipped: ${b.skip})` : ''}`;
  describe.skipIf(b.skip !== '')(title, () => {
    let url = '';
    let servers: ServerProcess[] = [];
    let f: Fetcher[] = [];
    const viaServer = (i: number) => f[i % f.length]!;

    beforeAll(async () => {
      url = await b.freshUrl();
      servers = await startServers(url, 2);
      f = servers.map(fetcherOf);
    });
    afterAll(async () => {
      await stopAll(servers);
      removeSqliteDir(url);
    });

    it(`${DEBITS} concurrent 1-point debits against ${GRANT} points: exactly ${GRANT} succeed, ${DEBITS - GRANT} are INSUFFICIENT_POINTS, balance 0`, async () => {
      const member = await login(viaServer(0), `debits-${b.name}`);
      const grant = await adjust(viaServer(0), member.memberId, GRANT, 'debits-grant');
      expect(grant.status).toBe(200);

      const answers = await Promise.all(
        Array.from({ length: DEBITS }, (_, i) => adjust(viaServer(i), member.memberId, -1, `debits-${i}`)),
      );

      const tally: Record<string, number> = {};
      for (const a of answers) {
        const what = a.status === 200 ? '200' : `${a.status} ${a.body?.code}`;
        tally[what] = (tally[what] ?? 0) + 1;
      }
      // Soft: when some answers are errors, the checks below still show whether anything was overdrawn.
      expect.soft(tally).toEqual({ '200': GRANT, '409 INSUFFICIENT_POINTS': DEBITS - GRANT });

      const ok = answers.filter((a) => a.status === 200);
      expect(ok).toHaveLength(GRANT);
      // Serialized debits of 1 leave every balance from GRANT-1 down to 0 exactly once.
      const balancesAfter = ok.map((a) => a.body.event.balanceAfter as number).sort((x, y) => x - y);
      expect(balancesAfter).toEqual(Array.from({ length: GRANT }, (_, i) => i));
      expect(new Set(ok.map((a) => a.body.event.id)).size).toBe(GRANT);

      expect(await balanceOf(viaServer(1), member.memberId)).toBe(0);
      const report = await ledgerReport(viaServer(0));
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);

      const history = await fullHistory(viaServer(1), member.token);
      const adjusts = history.filter((h) => h.kind === 'adjust');
      expect(adjusts).toHaveLength(1 + GRANT);
      expect(adjusts.filter((h) => h.delta === -1)).toHaveLength(GRANT);
      expect(adjusts.filter((h) => h.delta === GRANT)).toHaveLength(1);
      expect(new Set(adjusts.map((h) => h.id))).toEqual(
        new Set([grant.body.event.id, ...ok.map((a) => a.body.event.id as string)]),
      );
      expect(history.reduce((sum, h) => sum + h.delta, 0)).toBe(0);
    });

    it(`one idempotency key sent ${REPEATS} times at once to both servers: identical answers, one event, balance changed once`, async () => {
      const member = await login(viaServer(1), `idempotent-${b.name}`);
      const events: string[] = [];
      for (const [points, key] of [
        [40, 'idem-grant'],
        [-15, 'idem-debit'],
      ] as const) {
        const answers = await Promise.all(
          Array.from({ length: REPEATS }, (_, i) => adjust(viaServer(i), member.memberId, points, key)),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(REPEATS).fill(200));
        expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
        expect(answers[0]!.body.event.delta).toBe(points);
        // Exactly one request wrote; every other one is a replay of it.
        expect(answers.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
        events.push(answers[0]!.body.event.id);
      }

      expect(await balanceOf(viaServer(0), member.memberId)).toBe(25);
      const history = await fullHistory(viaServer(0), member.token);
      expect(history.map((h) => [h.id, h.delta])).toEqual([
        [events[1], -15],
        [events[0], 40],
      ]);
      const report = await ledgerReport(viaServer(1));
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    });
  });
}

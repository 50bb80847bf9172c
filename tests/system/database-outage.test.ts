/**
 * Must show: PostgreSQL stopped (`pg_ctl stop -m immediate`) for 4 s in the
 * middle of a stream of payment notifications, then started again. The
 * server never exits; meanwhile valid notifications get a retryable 5xx
 * (never a 4xx, which would tell the platform the notification is bad) and
 * /healthz says 503; it serves again by itself within seconds; every
 * acknowledged payment is there; a replay of everything counts each once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findPgBin, createDatabase, startPostgres, type PgServer } from '../support/postgres.js';
import { paymentKeys } from '../support/payment-keys.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { withStore } from '../support/with-store.js';
import { buildStream, deliver, type Notification } from './notify-stream.js';
import { expectExactlyOnce, inPool, missingAcknowledged, shuffled } from './stream-checks.js';

const IN_FLIGHT = 8;
const OUTAGE_MS = 4000;
/** A platform retries a refused notification; here after a short pause, until it is acknowledged. */
const RETRY_PAUSE_MS = 100;
const RETRIES_MAX = 400;

interface Attempt {
  at: number;
  status: number | 'cut';
}

/** Delivers until acknowledged, as a platform's retries would; every answer is recorded. */
async function deliverUntilAcked(
  server: ServerProcess,
  n: Notification,
  signer: Parameters<typeof deliver>[2],
  log: Attempt[],
) {
  for (let i = 0; i < RETRIES_MAX; i++) {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      throw new Error(`the server exited during the outage:\n${server.output().slice(-2000)}`);
    }
    const d = await deliver(server.url, n, signer);
    const status = d.kind === 'acked' ? 200 : d.kind === 'cut' ? 'cut' : Number(/: (\d{3}) /.exec(d.detail)?.[1] ?? 0);
    log.push({ at: Date.now(), status });
    if (d.kind === 'acked') return;
    await sleep(RETRY_PAUSE_MS);
  }
  throw new Error(`${n.label} was never acknowledged`);
}

describe.skipIf(!findPgBin())(
  `PostgreSQL stopped and started again during a stream of notifications${findPgBin() ? '' : ' (skipped: initdb not found)'}`,
  () => {
    let pg: PgServer | undefined;
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await server?.stop();
      pg?.stop();
    });

    it('the server never exits, answers 5xx (never 4xx) meanwhile, serves again by itself, and loses nothing', async () => {
      pg = await startPostgres();
      const url = await createDatabase(pg.url, 'outage');
      const keys = await paymentKeys();
      server = await startServer(url, keys.env);
      const stream = buildStream('outage', keys.wechat, keys.alipayPrivateKeyPem, {
        members: 12,
        wechatPayments: 160,
        alipayPayments: 24,
        alipayBuyers: 8,
        wechatRefunded: 24,
        alipayRefunded: 6,
        refundLag: 2 * IN_FLIGHT,
      });
      const attempts: Attempt[] = [];
      const health: Attempt[] = [];
      let streaming = true;
      const probe = (async () => {
        while (streaming) {
          const res = await fetch(`${server!.url}/healthz`).catch(() => null);
          health.push({ at: Date.now(), status: res?.status ?? 'cut' });
          await sleep(100);
        }
      })();

      const sending = inPool(stream.notifications, IN_FLIGHT, (n) =>
        deliverUntilAcked(server!, n, keys.wechat, attempts),
      );
      while (attempts.length < 40) await sleep(10); // well into the stream
      const stoppedAt = Date.now();
      pg.halt();
      await sleep(OUTAGE_MS);
      const restartedAt = Date.now();
      pg.resume();
      await sending;
      streaming = false;
      await probe;

      expect(server.proc.exitCode, server.output()).toBeNull();
      const during = attempts.filter((a) => a.at > stoppedAt && a.at < restartedAt);
      const statuses = new Set(attempts.map((a) => a.status));
      // Refused only as "retry later": no 4xx, no cut connection (the process lived).
      expect([...statuses].filter((s) => s !== 200 && !(typeof s === 'number' && s >= 500))).toEqual([]);
      expect(during.some((a) => typeof a.status === 'number' && a.status >= 500)).toBe(true);
      expect(health.some((h) => h.at > stoppedAt && h.at < restartedAt && h.status === 503)).toBe(true);
      const firstOkAfter = health.find((h) => h.at > restartedAt && h.status === 200);
      expect(firstOkAfter).toBeDefined();
      const recoveryMs = firstOkAfter!.at - restartedAt;
      expect(recoveryMs).toBeLessThan(15_000);
      console.log(
        `outage: ${attempts.length} deliveries for ${stream.notifications.length} notifications, ` +
          `${during.filter((a) => a.status !== 200).length} refused as retryable during the ${OUTAGE_MS} ms outage, ` +
          `healthz 200 again ${recoveryMs} ms after PostgreSQL was started`,
      );

      await withStore(url, async (store) => {
        expect(await missingAcknowledged(store, stream.notifications, stream)).toEqual([]);
      });
      // The platforms' retries of everything, twice, shuffled: each counts once.
      const replays = shuffled([...stream.notifications, ...stream.notifications]);
      const answers = await inPool(replays, IN_FLIGHT, (n) => deliver(server!.url, n, keys.wechat));
      expect(answers.filter((a) => a.kind !== 'acked')).toEqual([]);
      await withStore(url, (store) => expectExactlyOnce(store, stream));
    });
  },
);

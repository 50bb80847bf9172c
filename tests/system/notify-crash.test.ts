/**
 * Must show: kill -9 of the server in the middle of a stream of payment
 * notifications, a restart on the same database and a replay of every
 * notification (each delivered three times, WeChat Pay ones freshly signed)
 * leave every payment accrued exactly once, every refund applied once, every
 * acknowledged notification reflected, and a ledger that verifies — on SQLite
 * and on PostgreSQL.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';
import { withStore } from '../support/with-store.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { backends } from '../support/backends.js';
import { ALIPAY_APPID, APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fetcherOf, ledgerReport, removeSqliteDir, stopAll } from './ledger-probe.js';
import { buildStream, deliver, type Delivery, type Notification, type Stream } from './notify-stream.js';
import { expectExactlyOnce, inPool, missingAcknowledged, shuffled } from './stream-checks.js';

const IN_FLIGHT = 24;
/**
 * The crash comes about a second into the stream, once at least KILL_MIN_ANSWERED notifications
 * (refunds among them) are answered, and before KILL_MAX_SHARE of the stream is: mid-stream on a
 * fast machine and on a slow one. KILL_LATEST_MS caps the wait.
 */
const KILL_AFTER_MS = 1000;
const KILL_MIN_ANSWERED = 100;
const KILL_MAX_SHARE = 0.4;
const KILL_LATEST_MS = 10_000;
/** After the restart every notification is delivered this many times (a replay, then WeChat's retries). */
const DELIVERIES = 3;

type Outcome = { n: Notification } & Delivery;

/**
 * Streams the notifications in order, IN_FLIGHT at a time, and SIGKILLs the
 * server mid-stream: once due, right after a worker sends one, so that one at
 * least is cut off (group commit answers a whole group at once, so a kill at
 * an arbitrary moment could find every answer already delivered).
 */
async function streamThenKill(server: ServerProcess, stream: Stream, keys: PaymentKeys) {
  const outcomes: Outcome[] = [];
  let next = 0;
  let inFlight = 0;
  let armed = false;
  let inFlightAtKill = 0;
  let killed: Promise<void> | null = null;
  const worker = async () => {
    while (!killed && next < stream.notifications.length) {
      const n = stream.notifications[next++]!;
      inFlight++;
      const pending = deliver(server.url, n, keys.wechat);
      if (armed && !killed) {
        inFlightAtKill = inFlight;
        killed = server.kill(); // SIGKILL is sent synchronously, before any answer to this one
      }
      const d = await pending;
      inFlight--;
      outcomes.push({ n, ...d });
    }
  };
  const started = performance.now();
  const workers = Array.from({ length: IN_FLIGHT }, worker);
  const due = () => {
    const elapsed = performance.now() - started;
    return (
      (elapsed >= KILL_AFTER_MS && outcomes.length >= KILL_MIN_ANSWERED) ||
      outcomes.length >= stream.notifications.length * KILL_MAX_SHARE ||
      elapsed >= KILL_LATEST_MS
    );
  };
  while (!due()) await sleep(5);
  armed = true;
  await Promise.all(workers);
  await killed;
  return { outcomes, inFlightAtKill, neverSent: stream.notifications.length - next };
}

/**
 * Brings a fresh server past its cold start (module loading, JIT, first connections) with
 * notifications that are authentic but credit nothing: a WeChat trade_state NOTPAY, an Alipay
 * WAIT_BUYER_PAY. They are recorded, so they also take the write path.
 */
async function warmUp(server: ServerProcess, keys: PaymentKeys, prefix: string): Promise<void> {
  const notes = Array.from({ length: 48 }, (_, i) => i);
  const answers = await inPool(notes, IN_FLIGHT, async (i) => {
    if (i % 4 === 3) {
      const params = alipayTradeParams({
        appId: ALIPAY_APPID,
        tradeNo: `2026warm${prefix}${i}`,
        buyerId: '2088000000000001',
        totalAmount: '1.00',
        status: 'WAIT_BUYER_PAY',
      });
      const n = { label: `warm-up ${i}`, channel: 'alipay' as const, tradeNo: params.trade_no!, refundKey: null };
      return deliver(server.url, { ...n, body: alipayForm(params, keys.alipayPrivateKeyPem) }, keys.wechat);
    }
    const resource = transactionResource({
      mchId: MCHID,
      appId: APPID,
      openid: `o-warm-${prefix}`,
      totalFen: 100,
      transactionId: `4200warm${prefix}${i}`,
      tradeState: 'NOTPAY',
    });
    const body = wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat).body;
    const n = {
      label: `warm-up ${i}`,
      channel: 'wechatpay' as const,
      tradeNo: `4200warm${prefix}${i}`,
      refundKey: null,
    };
    return deliver(server.url, { ...n, body }, keys.wechat);
  });
  expect(answers.filter((a) => a.kind !== 'acked')).toEqual([]);
}

for (const b of backends({ acrossProcesses: true })) {
  const title = `kill -9 during a stream of payment notifications on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`;
  describe.skipIf(b.skip !== '')(title, () => {
    const servers: ServerProcess[] = [];
    let url = '';
    afterAll(async () => {
      await stopAll(servers);
      removeSqliteDir(url);
    });

    it('after a restart and a replay of every notification (three times each, freshly signed), each payment is accrued once, each refund applied once, every acknowledged one is reflected, and the ledger verifies', async () => {
      const keys = await paymentKeys();
      const stream = buildStream(`crash${b.name}`, keys.wechat, keys.alipayPrivateKeyPem, {
        members: 20,
        wechatPayments: 300,
        alipayPayments: 40,
        alipayBuyers: 12,
        wechatRefunded: 45,
        alipayRefunded: 8,
        refundLag: 2 * IN_FLIGHT,
      });
      url = await b.freshUrl();

      const first = await startServer(url, keys.env);
      servers.push(first);
      await warmUp(first, keys, b.name);
      const { outcomes, inFlightAtKill, neverSent } = await streamThenKill(first, stream, keys);
      const acked = outcomes.filter((o) => o.kind === 'acked').map((o) => o.n);
      const ackedRefunds = acked.filter((n) => n.refundKey !== null).length;
      const cut = outcomes.filter((o) => o.kind === 'cut');
      expect(outcomes.filter((o) => o.kind === 'refused')).toEqual([]);
      expect(acked.length).toBeGreaterThan(0);
      // The kill did cut requests off mid-flight, with more of the stream still to come: a crash mid-stream.
      expect(inFlightAtKill).toBeGreaterThan(0);
      expect(cut.length).toBeGreaterThan(0);
      expect(acked.length + cut.length).toBeLessThan(stream.notifications.length);
      console.log(
        `${b.name}: ${acked.length} acknowledged (${ackedRefunds} refunds), ${cut.length} cut by the kill (${inFlightAtKill} in flight), ${neverSent} never sent before the crash`,
      );

      // Before anything is replayed: what was acknowledged survived the crash, and the ledger verifies.
      await withStore(url, async (store) => {
        expect(await missingAcknowledged(store, acked, stream)).toEqual([]);
        expect(verifyLedger(await store.ledgerSummary()).problems).toEqual([]);
      });

      const second = await startServer(url, keys.env);
      servers.push(second);
      const deliveries = shuffled(stream.notifications.flatMap((n) => Array.from({ length: DELIVERIES }, () => n)));
      const replays = await inPool(deliveries, IN_FLIGHT, (n) => deliver(second.url, n, keys.wechat));
      expect(replays.filter((d) => d.kind !== 'acked')).toEqual([]);

      const report = await ledgerReport(fetcherOf(second));
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      await second.stop();

      await withStore(url, async (store) => {
        expect(await missingAcknowledged(store, acked, stream)).toEqual([]);
        await expectExactlyOnce(store, stream);
      });
    });
  });
}

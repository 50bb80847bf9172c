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
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { alipayForm, alipayTradeParams } from '../../cloudfunctions/local/simulator/alipay-notification.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { backends } from '../support/backends.js';
import { ALIPAY_APPID, APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fetcherOf, ledgerReport, removeSqliteDir, stopAll } from './ledger-probe.js';
import {
  buildStream,
  clawedOf,
  deliver,
  earnedOf,
  paymentId,
  type Delivery,
  type Notification,
  type Stream,
} from './notify-stream.js';

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

const ACCRUED = ['accrued', 'accrued-unclaimed', 'paid-no-points'];
const REFUNDED = ['refund-applied', 'refund-pending'];

type Outcome = { n: Notification } & Delivery;

async function inPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Streams the notifications in order, IN_FLIGHT at a time, and SIGKILLs the server mid-stream. */
async function streamThenKill(server: ServerProcess, stream: Stream, keys: PaymentKeys) {
  const outcomes: Outcome[] = [];
  let next = 0;
  let inFlight = 0;
  let stopping = false;
  const worker = async () => {
    while (!stopping && next < stream.notifications.length) {
      const n = stream.notifications[next++]!;
      inFlight++;
      const d = await deliver(server.url, n, keys.wechat);
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
  stopping = true;
  const inFlightAtKill = inFlight;
  const killed = server.kill(); // SIGKILL is sent synchronously, while requests are open
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

/** Deterministic shuffle, so duplicate deliveries of one notification race each other. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What each acknowledged notification must have left in the store. */
async function missingAcknowledged(store: Store, acked: Notification[], stream: Stream): Promise<string[]> {
  const byId = new Map(stream.payments.map((p) => [paymentId(p), p]));
  const missing: string[] = [];
  for (const n of acked) {
    const audit = await store.notifications(n.channel, n.tradeNo);
    if (n.refundKey === null) {
      const p = byId.get(paymentId(n))!;
      const row = await store.getPayment(paymentId(n));
      const accrued = audit.some((a) => a.refundKey === null && ACCRUED.includes(a.result));
      if (row?.status !== 'paid' || row.pointsEarned !== earnedOf(p) || !accrued) {
        missing.push(`${n.label}: ${JSON.stringify({ status: row?.status, points: row?.pointsEarned, accrued })}`);
      }
    } else if (!audit.some((a) => a.refundKey === n.refundKey && REFUNDED.includes(a.result))) {
      missing.push(`${n.label}: no applied or pending refund among ${JSON.stringify(audit.map((a) => a.result))}`);
    }
  }
  return missing;
}

/** Balances each member must hold: Σ earned − clawed over their WeChat Pay payments. */
function expectedBalances(stream: Stream): Map<string, number> {
  const balances = new Map(stream.openids.map((o) => [o, 0]));
  for (const p of stream.payments) {
    if (p.channel !== 'wechatpay') continue;
    const points = earnedOf(p) - clawedOf(p, stream.refundedFen.get(paymentId(p)) ?? 0);
    balances.set(p.openid, balances.get(p.openid)! + points);
  }
  return balances;
}

/** Every payment accrued once and refunded as the amounts say, every balance as computed, nothing twice. */
async function expectExactlyOnce(store: Store, stream: Stream): Promise<void> {
  const memberIds = new Map<string, string>();
  for (const openid of stream.openids) {
    const m = await store.transaction((tx) => tx.findMemberByOpenid(openid));
    expect(m, `member ${openid}`).not.toBeNull();
    memberIds.set(openid, m!.id);
  }

  const refundKeys = new Map<string, string[]>();
  for (const n of stream.notifications) {
    if (n.refundKey !== null) refundKeys.set(paymentId(n), [...(refundKeys.get(paymentId(n)) ?? []), n.refundKey]);
  }

  const wrong: string[] = [];
  for (const p of stream.payments) {
    const refunded = stream.refundedFen.get(paymentId(p)) ?? 0;
    const earned = earnedOf(p);
    const row = await store.getPayment(paymentId(p));
    const member = p.channel === 'wechatpay' ? memberIds.get(p.openid)! : null;
    const want = {
      status: 'paid',
      memberId: member,
      payerKind: p.channel === 'wechatpay' ? 'openid' : 'alipay_buyer',
      payerId: p.channel === 'wechatpay' ? p.openid : p.buyerId,
      totalFen: p.totalFen,
      paidFen: p.paidFen,
      pointsEarned: earned,
      refundedFen: refunded,
      pointsClawed: clawedOf(p, refunded),
    };
    const got = row && Object.fromEntries(Object.keys(want).map((k) => [k, row[k as keyof typeof row]]));
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${paymentId(p)}: ${JSON.stringify({ got, want })}`);

    // The audit trail: one accrual among the deliveries, one application per refund key; the rest are duplicates.
    const audit = await store.notifications(p.channel, p.tradeNo);
    const payments = audit.filter((a) => a.refundKey === null).map((a) => a.result);
    const accruals = payments.filter((r) => ACCRUED.includes(r));
    if (accruals.length !== 1 || payments.some((r) => r !== 'duplicate' && !ACCRUED.includes(r))) {
      wrong.push(`${paymentId(p)}: payment results ${JSON.stringify(payments)}`);
    }
    for (const key of refundKeys.get(paymentId(p)) ?? []) {
      const results = audit.filter((a) => a.refundKey === key).map((a) => a.result);
      const applied = results.filter((r) => REFUNDED.includes(r));
      if (applied.length !== 1 || results.some((r) => r !== 'refund-duplicate' && !REFUNDED.includes(r))) {
        wrong.push(`${paymentId(p)} refund ${key}: results ${JSON.stringify(results)}`);
      }
    }

    // The earn event: one per paid order with points, on the member's account, for exactly what was earned.
    const event = await store.findEvent(p.channel, p.tradeNo);
    const wantEvent = member && earned > 0 ? { kind: 'earn', memberId: member, delta: earned } : null;
    const gotEvent = event && { kind: event.kind, memberId: event.memberId, delta: event.delta };
    if (JSON.stringify(gotEvent) !== JSON.stringify(wantEvent)) {
      wrong.push(`${paymentId(p)} earn event: ${JSON.stringify({ gotEvent, wantEvent })}`);
    }
  }
  expect(wrong).toEqual([]);

  const expected = expectedBalances(stream);
  const balances = new Map<string, number>();
  for (const [openid, memberId] of memberIds) {
    const account = await store.getAccount(memberId);
    balances.set(openid, account!.balance);
    // The member's history adds up to the balance, with one earn event per paid order with points.
    const { items, nextBeforeId } = await store.history(memberId, null, 1000);
    expect(nextBeforeId).toBeNull();
    expect(
      items.reduce((sum, e) => sum + e.delta, 0),
      openid,
    ).toBe(account!.balance);
    const earning = stream.payments.filter((p) => p.channel === 'wechatpay' && p.openid === openid && earnedOf(p) > 0);
    expect(items.filter((e) => e.kind === 'earn').length, openid).toBe(earning.length);
  }
  expect(balances).toEqual(expected);

  const report = verifyLedger(await store.ledgerSummary());
  expect(report.problems).toEqual([]);
  expect(report.totals.members).toBe([...expected.values()].reduce((a, b) => a + b, 0));
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

/**
 * Verified WeChat Pay notifications over HTTP, end to end: RSA signature
 * check, AES-256-GCM decryption and the ledger write, on the real server
 * configured with test payment keys. The notifications are built and signed
 * before the clock starts (signing is the platform's cost, not ours) and sent
 * well inside WeChat's 5-minute timestamp window. Then the same ones again:
 * replays answer 204 and write nothing but their audit row.
 */
import { readFileSync } from 'node:fs';
import { rawDb } from '../support/raw-db.js';
import { withStore } from '../support/with-store.js';
import {
  signWechatBody,
  transactionResource,
  wechatNotification,
  type SignedNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { APPID, MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { startServer, TEST_ADMIN_TOKEN, TEST_SECRET } from '../support/server-process.js';
import { Sessions } from '../../cloudfunctions/core/services/sessions.js';
import type { Checks } from './checks.js';
import { runPool, summarize, type Row, type RunResult } from './stats.js';

/** Reads paced alongside the notification stream: the member's own page must stay fast while payments pour in. */
const READS_PER_SECOND = 500;

/**
 * GET /api/member/me at a fixed pace (open loop: a request every 2 ms whether
 * or not the last one answered) until `stop` resolves.
 */
async function pacedReads(base: string, tokens: string[], stop: Promise<unknown>): Promise<RunResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  let i = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let done = false;
  void stop.then(() => (done = true));
  while (!done) {
    const due = started + (i * 1000) / READS_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const token = tokens[i++ % tokens.length]!;
    const t0 = performance.now();
    inFlight.push(
      fetch(`${base}/api/member/me`, { headers: { authorization: `Bearer ${token}` } })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status === 200) ok++;
          else errors[`HTTP_${res.status}`] = (errors[`HTTP_${res.status}`] ?? 0) + 1;
        })
        .catch((e: unknown) => void (errors[String((e as Error).message).slice(0, 40)] = 1))
        .finally(() => void latencies.push(performance.now() - t0)),
    );
  }
  await Promise.all(inFlight);
  return {
    name: `GET /api/member/me at ${READS_PER_SECOND}/s, during the stream`,
    done: latencies.length,
    ok,
    errors,
    elapsedMs: performance.now() - started,
    latencies,
    timedOut: false,
  };
}

export interface NotifySizes {
  /** Payers (openids of our mini-program) the payments spread over. */
  members: number;
  /** Notifications signed up front for the timed phase. */
  payments: number;
  /** Notifications of the phase with paced reads alongside. */
  busyPayments: number;
  warmUp: number;
  concurrency: number;
  writeMaxMs: number;
  replayMaxMs: number;
}

export interface NotifyResult {
  rows: Row[];
  /** Points the acknowledged notifications credited to members. */
  liability: number;
  /** The server process's resident memory: started and idle, and the most seen while notifications streamed. */
  rssMb: { idle: number; peak: number };
}

/** Resident memory of a process, in MB (Linux /proc); NaN where it cannot be read. */
function rssMbOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

/** WeChat rejects timestamps more than 300 s off; signatures older than this are made again before a phase. */
const RESIGN_AFTER_MS = 200_000;

class NotifyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Payment {
  openid: string;
  totalFen: number;
  points: number;
  n: SignedNotification;
  signedAt: number;
}

async function post(base: string, n: SignedNotification): Promise<void> {
  const res = await fetch(`${base}/notify/wechatpay`, { method: 'POST', headers: n.headers, body: n.body });
  const text = await res.text(); // read it: an unread body keeps the keep-alive socket busy
  if (res.status !== 204) throw new NotifyError(`HTTP_${res.status}`, text.slice(0, 200));
}

async function counts(url: string): Promise<Record<string, number>> {
  return withStore(url, (store) => store.counts());
}

/** tier.changed messages among the outbox rows after the first `skip` (the phase's own). */
async function tierChangesSince(url: string, skip: number): Promise<number> {
  const db = await rawDb(url);
  try {
    const rows = await db.all<{ topic: string }>('SELECT topic FROM outbox ORDER BY id');
    return rows.slice(skip).filter((r) => r.topic === 'tier.changed').length;
  } finally {
    await db.close();
  }
}

/** Varied amounts (1–500 yuan), the same every run; points are 1 per whole yuan paid. */
function makePayments(label: string, phase: string, count: number, size: NotifySizes, keys: PaymentKeys): Payment[] {
  const out: Payment[] = [];
  for (let i = 0; i < count; i++) {
    const openid = `o-bench-notify-${i % size.members}`;
    const totalFen = 100 + ((i * 7919) % 49_901);
    const resource = transactionResource({
      mchId: MCHID,
      appId: APPID,
      openid,
      totalFen,
      transactionId: `4200bench${label}${phase}${String(i).padStart(7, '0')}`,
      outTradeNo: `BENCH-${label}-${phase}-${i}`,
    });
    const n = wechatNotification('TRANSACTION.SUCCESS', resource, keys.wechat, { id: `EV-bench-${phase}-${i}` });
    out.push({ openid, totalFen, points: Math.floor(totalFen / 100), n, signedAt: performance.now() });
  }
  return out;
}

/** Fresh headers for notifications signed too long ago to be inside the window by the time they are sent. */
function resignStale(payments: Payment[], keys: PaymentKeys): number {
  let resigned = 0;
  for (const p of payments) {
    if (performance.now() - p.signedAt < RESIGN_AFTER_MS) continue;
    p.n = { body: p.n.body, headers: signWechatBody(p.n.body, keys.wechat) };
    p.signedAt = performance.now();
    resigned++;
  }
  return resigned;
}

export async function benchNotify(
  label: string,
  databaseUrl: string,
  size: NotifySizes,
  checks: Checks,
  progress: (msg: string) => void,
): Promise<NotifyResult> {
  const keys = await paymentKeys();
  const rows: Row[] = [];
  /** Points each payer must hold once the phase is over, from acknowledged notifications only. */
  const expected = new Map<string, number>();
  const credit = (p: Payment) => expected.set(p.openid, (expected.get(p.openid) ?? 0) + p.points);

  const before = await counts(databaseUrl);
  progress(`${label}: starting the server with WeChat Pay keys…`);
  // A subscribe template is configured, so every accrual writes an outbox message and the dispatcher drains them
  // while the notifications stream (the payers hold no credits: it marks them skipped, calling nobody).
  const server = await startServer(databaseUrl, {
    ...keys.env,
    JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify({
      'points.earned': { templateId: 'bench-tmpl', data: { number1: 'points' } },
    }),
    WECHAT_API_BASE: 'http://127.0.0.1:9',
  });
  const base = server.url;
  // 200 payers paying 16 times within seconds is exactly the burst the risk alerts watch for; a load test
  // raises the threshold first, as a merchant would, so the log stays clean of alerts about itself.
  const risk = await fetch(`${base}/api/admin/risk`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      accrualBurst: { count: 10_000, minutes: 1 },
      nearReview: { count: 10_000, hours: 1, ratio: 0.9 },
      tillBurst: { count: 10_000, minutes: 1 },
    }),
  });
  if (!risk.ok) throw new Error(`could not raise the risk thresholds: ${risk.status}`);
  await new Promise((resolve) => setTimeout(resolve, 500)); // started and idle
  const rssMb = { idle: rssMbOf(server.proc.pid), peak: 0 };
  const sampler = setInterval(() => (rssMb.peak = Math.max(rssMb.peak, rssMbOf(server.proc.pid))), 100);
  let fresh: Payment[] = [];
  let replays = { ok: 0, done: 0 };
  try {
    // Untimed warm-up so the first JIT-compiled requests do not land in the percentiles.
    const warm = makePayments(label, 'warm', size.warmUp, size, keys);
    await runPool('warm-up', { count: warm.length, concurrency: size.concurrency, maxMs: size.writeMaxMs }, (i) =>
      post(base, warm[i]!.n).then(() => fresh.push(warm[i]!)),
    );

    const t0 = performance.now();
    const payments = makePayments(label, 'pay', size.payments, size, keys);
    progress(
      `${label}: signed ${payments.length} notifications in ${((performance.now() - t0) / 1000).toFixed(1)} s (untimed); posting, ${size.concurrency} in flight…`,
    );
    const accepted: Payment[] = [];
    const run = await runPool(
      'POST /notify/wechatpay (new)',
      { count: payments.length, concurrency: size.concurrency, maxMs: size.writeMaxMs },
      async (i) => {
        await post(base, payments[i]!.n);
        accepted.push(payments[i]!);
      },
    );
    rows.push(summarize(run, 'RSA verify + AES-GCM + ledger write; presigned; outbox draining'));
    // The memory figure: the stream alone (the paced reads below pile up requests of their own when the machine lags).
    const streamPeak = rssMb.peak;

    // Another stream, with the members reading their page at a fixed pace meanwhile (the client shares the cores).
    const sessions = new Sessions(TEST_SECRET, Date.now);
    const tokens = await withStore(databaseUrl, async (store) => {
      const out: string[] = [];
      for (let i = 0; i < Math.min(size.members, 50); i++) {
        const m = await store.transaction((tx) => tx.findMemberByOpenid(`o-bench-notify-${i}`));
        if (m) out.push((await sessions.issue(m.id)).token);
      }
      return out;
    });
    const busy = makePayments(label, 'busy', size.busyPayments, size, keys);
    const streaming = runPool(
      'POST /notify/wechatpay (with reads)',
      { count: busy.length, concurrency: size.concurrency, maxMs: size.writeMaxMs },
      async (i) => {
        await post(base, busy[i]!.n);
        fresh.push(busy[i]!);
      },
    );
    const reads = pacedReads(base, tokens, streaming);
    rows.push(summarize(await streaming, `the same, while members read at ${READS_PER_SECOND}/s`));
    rows.push(summarize(await reads, 'open loop, while notifications stream'));
    fresh = [...fresh, ...accepted];

    // The same notifications again, as WeChat retries: 204, and nothing but the audit row written.
    const resigned = resignStale(accepted, keys);
    progress(`${label}: replaying the ${accepted.length} acknowledged notifications…`);
    const replay = await runPool(
      'POST /notify/wechatpay (replay)',
      { count: accepted.length, concurrency: size.concurrency, maxMs: size.replayMaxMs },
      (i) => post(base, accepted[i]!.n),
    );
    rows.push(summarize(replay, `duplicate: audit row only${resigned ? `; ${resigned} re-signed` : ''}`));
    replays = { ok: replay.ok, done: replay.done };
    rssMb.peak = streamPeak;
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
  for (const p of fresh) credit(p);
  const liability = [...expected.values()].reduce((a, b) => a + b, 0);

  // The server logs at LOG_LEVEL=warn: any pino line at warn (40) or above is worth seeing.
  const loud = server
    .output()
    .split('\n')
    .filter((l) => /"level":(40|50|60)\b/.test(l));
  checks.add(
    `${label} notify server log`,
    loud.length === 0,
    loud.length === 0
      ? `no warnings or errors; exited ${server.proc.exitCode ?? server.proc.signalCode}`
      : `${loud.length} warn/error lines, first: ${loud.slice(0, 3).join(' | ').slice(0, 600)}`,
  );

  // Each acknowledged payment wrote one payment row and one earn event (2 entries, a lot, an outbox message);
  // every delivery, replays included, one audit row; members whose growth crossed a tier threshold, one
  // tier.changed message. Anything more is a replay that wrote.
  const after = await counts(databaseUrl);
  const tierChanges = await tierChangesSince(databaseUrl, before.outbox ?? 0);
  const grew = (table: string) => (after[table] ?? 0) - (before[table] ?? 0);
  const earning = fresh.filter((p) => p.points > 0).length;
  const want = {
    payments: fresh.length,
    events: earning,
    entries: 2 * earning,
    outbox: earning + tierChanges,
    notifications: fresh.length + replays.ok,
  };
  const got = Object.fromEntries(Object.keys(want).map((t) => [t, grew(t)]));
  checks.add(
    `${label} notify replays wrote nothing`,
    JSON.stringify(got) === JSON.stringify(want) && replays.ok === replays.done,
    `${replays.ok}/${replays.done} replays answered 204; rows added ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
  );

  const wrong = await withStore(databaseUrl, async (store) => {
    const off: string[] = [];
    for (const [openid, points] of expected) {
      const member = await store.transaction((tx) => tx.findMemberByOpenid(openid));
      const balance = member ? (await store.getAccount(member.id))?.balance : undefined;
      if (balance !== points) off.push(`${openid} holds ${balance}, expected ${points}`);
    }
    return off;
  });
  checks.add(
    `${label} notify member points = acknowledged payments`,
    wrong.length === 0,
    wrong.length === 0
      ? `${expected.size} payers hold ${liability} points from ${fresh.length} payments`
      : `${wrong.length} payers off, first: ${wrong.slice(0, 3).join('; ')}`,
  );
  return { rows, liability, rssMb };
}

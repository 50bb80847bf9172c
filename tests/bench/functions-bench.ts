/**
 * `npm run bench:functions`: each function's bundle size, and its cold start
 * measured as CloudBase pays it: a fresh `node` process that require()s the
 * bundle and answers a first event (store opened and, for SQLite, migrated),
 * then a warm second one. Median of RUNS fresh processes per function.
 * Timing is printed, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions } from '../../cloudfunctions/functions/build.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { APPID, MCHID, paymentKeys } from '../support/payment-keys.js';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from '../support/server-process.js';

const RUNS = Number(process.env.RUNS ?? 5);
const root = fileURLToPath(new URL('../..', import.meta.url));
const child = fileURLToPath(new URL('./functions-cold-start.cjs', import.meta.url));
// SQLite (a fresh file per run) by default; BENCH_DATABASE_URL=cloudbase-memory://bench for the CloudBase stand-in.
const databaseUrl = process.env.BENCH_DATABASE_URL;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const outDir = join(root, 'node_modules/.cache/jifen-functions', `bench-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const built = await buildFunctions(outDir);
  const keys = await paymentKeys();
  const openid = 'o-bench-cold-start';
  const signed = () => {
    const n = wechatNotification(
      'TRANSACTION.SUCCESS',
      transactionResource({ mchId: MCHID, appId: APPID, openid, totalFen: 8800 }),
      keys.wechat,
    );
    return { path: '/notify/wechatpay', httpMethod: 'POST', headers: n.headers, body: n.body, isBase64Encoded: false };
  };
  const events: Record<string, () => { event: unknown; second?: unknown; env?: Record<string, string> }> = {
    member: () => ({
      event: { action: 'me', data: {} },
      second: { action: 'history', data: {} },
      env: { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: openid, WX_APPID: APPID },
    }),
    // The HQ token is accepted on staff routes, so no staff needs creating first.
    staff: () => ({ event: { action: 'me', token: TEST_ADMIN_TOKEN } }),
    notify: () => ({ event: signed(), second: signed() }),
    cron: () => ({ event: { Type: 'Timer', TriggerName: 'everyMinute' } }),
  };

  console.log(`function bundles and cold starts (median of ${RUNS} fresh node processes, Node ${process.version})\n`);
  console.log('function    bundle    gzip   require  first call  require+first  warm call');
  const summary: Record<string, unknown> = {};
  for (const f of built) {
    const runs: Array<{ requireMs: number; firstCallMs: number; warmCallMs: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'jifen-fn-bench-'));
      const e = events[f.name]!();
      const env = {
        ...keys.env,
        DATABASE_URL: databaseUrl ?? `sqlite:${join(dir, 'jifen.db')}`,
        JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        JIFEN_SECRET: TEST_SECRET,
        LOG_LEVEL: 'error',
        ...e.env,
      };
      const spec = JSON.stringify({ file: join(f.dir, 'index.js'), event: e.event, second: e.second, env });
      const out = execFileSync(process.execPath, [child], {
        env: { PATH: process.env.PATH, JIFEN_BENCH_SPEC: spec },
        encoding: 'utf8',
      });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      rmSync(dir, { recursive: true, force: true });
      if (r.error || r.first !== 'ok' || r.second !== 'ok') throw new Error(`${f.name}: ${out}`);
      runs.push(r);
    }
    const req = median(runs.map((r) => r.requireMs));
    const first = median(runs.map((r) => r.firstCallMs));
    const both = median(runs.map((r) => r.requireMs + r.firstCallMs));
    const warm = median(runs.map((r) => r.warmCallMs));
    summary[f.name] = {
      bytes: f.bytes,
      gzipBytes: f.gzipBytes,
      requireMs: +req.toFixed(1),
      firstCallMs: +first.toFixed(1),
      coldMs: +both.toFixed(1),
      warmMs: +warm.toFixed(1),
    };
    console.log(
      `${f.name.padEnd(8)} ${kib(f.bytes).padStart(9)} ${kib(f.gzipBytes).padStart(7)} ${req.toFixed(0).padStart(6)} ms ${first.toFixed(0).padStart(8)} ms ${both.toFixed(0).padStart(11)} ms ${warm.toFixed(1).padStart(8)} ms`,
    );
  }
  rmSync(outDir, { recursive: true, force: true });
  console.log(`\n${JSON.stringify({ backend: databaseUrl?.split(':')[0] ?? 'sqlite', functions: summary })}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

/**
 * `npm run bench:profile`: the notification phase alone, on SQLite (or the
 * PostgreSQL at DATABASE_URL), with the server under `--cpu-prof`. The
 * profile lands in .profiles/ (open it in Chrome DevTools); the top
 * self-time functions are printed. This is how issue 13's profiles were made.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildServer } from '../../cloudfunctions/local/build-server.js';
import { Checks } from './checks.js';
import { benchNotify } from './notify-bench.js';
import { budget, formatTable } from './stats.js';

const out = resolve('.profiles');
mkdirSync(out, { recursive: true });
const before = new Set(readdirSync(out));
process.env.JIFEN_SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${out}`;
await buildServer();
const url = process.env.DATABASE_URL ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-prof-')), 'jifen.db')}`;
budget.until = performance.now() + 60_000;
const checks = new Checks();
const r = await benchNotify(
  'profile',
  url,
  {
    members: 200,
    payments: 3000,
    busyPayments: 500,
    warmUp: 200,
    concurrency: 32,
    writeMaxMs: 15_000,
    replayMaxMs: 5000,
  },
  checks,
  (m) => console.log(m),
);
console.log(formatTable('== notifications under --cpu-prof (slower than the bench) ==', r.rows));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
for (const f of readdirSync(out).filter((f) => f.endsWith('.cpuprofile') && !before.has(f))) {
  const p = JSON.parse(readFileSync(join(out, f), 'utf8')) as { nodes: Node[] };
  const total = p.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  for (const n of p.nodes) {
    const where = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + (n.hitCount ?? 0));
  }
  console.log(`\n${f}: top self time of ${total} samples`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

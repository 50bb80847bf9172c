/** Bounded concurrent runs, latency percentiles and the printed table. */

export interface RunResult {
  name: string;
  /** Operations that completed (successfully or not) before the count or time bound. */
  done: number;
  ok: number;
  /** Failures by error code (or message), for the report; a benchmark never throws on them. */
  errors: Record<string, number>;
  elapsedMs: number;
  /** Milliseconds per completed operation. */
  latencies: number[];
  /** True when the time bound stopped the run before the count was reached. */
  timedOut: boolean;
}

export interface RunOptions {
  count: number;
  concurrency: number;
  /** No new operation starts after this many ms; those in flight finish. */
  maxMs: number;
}

function errorCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return e instanceof Error ? e.message.slice(0, 60) : String(e).slice(0, 60);
}

/**
 * A deadline (performance.now() ms) shared by every run: the caller sets it per
 * backend so a slow machine shortens the phases instead of the whole bench overrunning.
 */
export const budget = { until: Infinity };

/** Runs op(0..count-1) with at most `concurrency` in flight; bounded by count and by time. */
export async function runPool(name: string, opts: RunOptions, op: (i: number) => Promise<unknown>): Promise<RunResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  let timedOut = false;
  const started = performance.now();
  // Every phase gets at least a second, so a late phase still measures something.
  const deadline = Math.max(Math.min(started + opts.maxMs, budget.until), started + 1000);

  const worker = async () => {
    while (next < opts.count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        ok++;
      } catch (e) {
        const code = errorCode(e);
        errors[code] = (errors[code] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  return { name, done: latencies.length, ok, errors, elapsedMs: performance.now() - started, latencies, timedOut };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Row {
  name: string;
  ops: number;
  ok: number;
  opsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Errors and bounds worth seeing next to the numbers. */
  note: string;
}

export function summarize(r: RunResult, note = ''): Row {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const errs = Object.entries(r.errors).map(([code, n]) => `${code}×${n}`);
  const notes = [note, ...errs, r.timedOut ? 'stopped by time bound' : ''].filter(Boolean);
  return {
    name: r.name,
    ops: r.done,
    ok: r.ok,
    opsPerSec: r.elapsedMs > 0 ? (r.done / r.elapsedMs) * 1000 : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    note: notes.join('; '),
  };
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(3) : v.toFixed(1));

export function formatTable(title: string, rows: Row[]): string {
  const header = ['operation', 'ops', 'ok', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'notes'];
  const cells = rows.map((r) => [
    r.name,
    String(r.ops),
    String(r.ok),
    Math.round(r.opsPerSec).toLocaleString('en-US'),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    ms(r.max),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // Text columns left-aligned, numbers right-aligned.
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 0 || i === c.length - 1 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [title, line(header), rule, ...cells.map(line)].join('\n');
}

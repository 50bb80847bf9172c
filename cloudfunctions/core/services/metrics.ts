/**
 * What the server counts for operators: refusals by channel and reason and
 * the scheduled jobs' progress (GET /api/admin/metrics, JSON), and the same
 * plus notifications by result, request latency, outbox depth and Node's
 * own figures in the Prometheus text format (GET /metrics), with prom-client.
 * Each Metrics has its own registry: several apps in one process (tests)
 * never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface JobProgress {
  /** Things handled since this process started (members expired, messages sent, ...). */
  handled: number;
  runs: number;
  lastAt: string | null;
  lastHandled: number;
  lastMs: number;
  lastError: string | null;
}

/** Node's own figures (memory, CPU, event loop lag, GC), collected once per process however many apps it runs. */
let processMetrics: Registry | null = null;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'jifen_node_' });
  }
  return processMetrics;
}

export class Metrics {
  private readonly rejections = new Map<string, number>();
  private readonly jobs = new Map<string, JobProgress>();
  readonly registry = new Registry();
  private readonly notifications = new Counter({
    name: 'jifen_notifications_total',
    help: 'Payment notifications answered, by channel and result (accrued, duplicate, refund-applied, ... or refused:<code>)',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });
  private readonly refusals = new Counter({
    name: 'jifen_refusals_total',
    help: 'Refused payment notifications by channel and error code',
    labelNames: ['channel', 'code'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'jifen_http_request_duration_seconds',
    help: 'HTTP answers by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly jobHandled = new Counter({
    name: 'jifen_job_handled_total',
    help: 'Things the scheduled jobs handled (members expired, messages sent, ...)',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });
  private readonly jobFailures = new Counter({
    name: 'jifen_job_failures_total',
    help: 'Scheduled job rounds that ended in an error',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  /** `outboxDepth` is read at each scrape (a cheap indexed count), never cached. */
  constructor(deps: { outboxDepth?: () => Promise<number> } = {}) {
    const depth = deps.outboxDepth;
    new Gauge({
      name: 'jifen_outbox_depth',
      help: 'Outbox messages still to send',
      registers: [this.registry],
      async collect() {
        if (depth) this.set(await depth());
      },
    });
  }

  /** A scheduled job's round (functions/cron-jobs.ts): what long work such as the expiry sweep has done so far. */
  jobRan(name: string, r: { handled: number; ms: number; error?: string }, at: number): void {
    const j = this.jobs.get(name) ?? { handled: 0, runs: 0, lastAt: null, lastHandled: 0, lastMs: 0, lastError: null };
    this.jobs.set(name, {
      handled: j.handled + r.handled,
      runs: j.runs + 1,
      lastAt: new Date(at).toISOString(),
      lastHandled: r.handled,
      lastMs: r.ms,
      lastError: r.error ?? null,
    });
    this.jobHandled.inc({ job: name }, r.handled);
    if (r.error) this.jobFailures.inc({ job: name });
  }

  notified(channel: string, result: string): void {
    this.notifications.inc({ channel, result });
  }

  rejected(channel: string, code: string): void {
    const key = `${channel}:${code}`;
    this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
    this.refusals.inc({ channel, code });
    this.notifications.inc({ channel, result: `refused:${code}` });
  }

  /** One HTTP answer; `route` is the template ("/api/member/vouchers/{voucherId}"), never the raw path. */
  answered(method: string, route: string, status: number, seconds: number): void {
    this.latency.observe({ method, route, status: String(status) }, seconds);
  }

  snapshot(): { rejections: Record<string, number>; jobs: Record<string, JobProgress> } {
    return { rejections: Object.fromEntries(this.rejections), jobs: Object.fromEntries(this.jobs) };
  }

  /** The Prometheus text exposition: this server's metrics and the process's own. */
  text(): Promise<string> {
    return Registry.merge([this.registry, processRegistry()]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** In-process counters for operators (GET /api/admin/metrics): what was refused, by channel and reason. */
export interface JobProgress {
  /** Things handled since this process started (members expired, messages sent, ...). */
  handled: number;
  runs: number;
  lastAt: string | null;
  lastHandled: number;
  lastMs: number;
  lastError: string | null;
}

export class Metrics {
  private readonly rejections = new Map<string, number>();
  private readonly jobs = new Map<string, JobProgress>();

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
  }

  rejected(channel: string, code: string): void {
    const key = `${channel}:${code}`;
    this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
  }

  snapshot(): { rejections: Record<string, number>; jobs: Record<string, JobProgress> } {
    return { rejections: Object.fromEntries(this.rejections), jobs: Object.fromEntries(this.jobs) };
  }
}

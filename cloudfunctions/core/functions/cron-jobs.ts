/**
 * The scheduled jobs, one list: the `cron` function's timer runs them all in
 * order. A job does one bounded batch and says how many things it handled;
 * a full batch means there may be more, so it runs again while time is left.
 * Later jobs (expiry reminders, bill reconciliation, ...) add an entry here.
 */
import type { Services } from '../http/context.js';
import { refreshShared } from '../wiring.js';
import { ROLLUP_BATCH_DAYS } from '../services/reports.js';

export interface CronJob {
  name: string;
  /** The most one run handles; a run that handles this many is repeated. */
  batch: number;
  run(s: Services, batch: number): Promise<number>;
}

export const CRON_JOBS: CronJob[] = [
  {
    // Subscribe messages queued by accruals and refunds (sent after the platform got its answer).
    name: 'outbox',
    batch: 50,
    run: async (s, batch) => {
      const r = await s.outbox.dispatchDue(batch);
      return r.sent + r.skipped + r.retried + r.failed;
    },
  },
  {
    // Pay-with-points holds past their TTL are released; lots past their date expire.
    name: 'expiry',
    batch: 100,
    run: (s, batch) => s.expirySweep.run(batch),
  },
  {
    // Members whose points expire in 30, 7 or 1 days (configurable) get one `points.expiring` message each.
    name: 'expiry-reminders',
    batch: 100,
    run: (s, batch) => s.expiryReminders.run(batch),
  },
  {
    // Today's birthdays: the birthday bonus and the tier's gift, once a year each.
    name: 'birthday-gifts',
    batch: 100,
    run: async (s, batch) => {
      await s.bonuses.birthdayGifts(batch);
      return 0; // one pass covers the day; the next timer round finds nothing new
    },
  },
  {
    // Tiers whose rolling period ended: evaluated again, and moved down if the growth is no longer there.
    name: 'tier-periods',
    batch: 100,
    run: (s, batch) => s.tiers.sweepPeriods(batch),
  },
  {
    // Batch grants (and their rollbacks): one chunk of rows a round, progress saved after each.
    name: 'batches',
    batch: 1_000,
    run: (s) => s.batches.step(),
  },
  {
    // The daily report's rollups: each day summed once, soon after it closes, so a year's report reads 365 saved days.
    name: 'report-rollups',
    batch: ROLLUP_BATCH_DAYS,
    run: (s, batch) => s.reports.rollUp(batch),
  },
  {
    // Open API nonces past their signature window: a replay that old is refused by its timestamp already.
    name: 'nonces',
    batch: 1_000,
    run: (s, batch) => s.integrations.pruneNonces(batch),
  },
  {
    // Pay codes of holds closed long ago: nothing reads them again.
    name: 'pay-codes',
    batch: 500,
    run: (s, batch) => s.expirySweep.prunePayCodes(batch),
  },
  {
    // Yesterday's payment bills against our records, once they are ready (10:00 Beijing time); a failed run again an hour later.
    name: 'reconciliation',
    batch: 4,
    run: (s) => s.reconciliation.runDue(),
  },
];

export interface JobReport {
  handled: number;
  rounds: number;
  ms: number;
  error?: string;
}

/** Runs each job until it has caught up or the deadline passes; one job failing does not stop the next. */
export async function runJobs(
  s: Services,
  opts: { jobs?: CronJob[]; deadlineMs: number },
): Promise<Record<string, JobReport>> {
  const reports: Record<string, JobReport> = {};
  await refreshShared(s); // birthday gifts and batches credit under the operator's current policy, announced to webhooks
  for (const job of opts.jobs ?? CRON_JOBS) {
    const started = Date.now();
    const report: JobReport = { handled: 0, rounds: 0, ms: 0 };
    try {
      let handled: number;
      do {
        handled = await job.run(s, job.batch);
        report.handled += handled;
        report.rounds++;
        // Between rounds the server answers what is waiting: a long drain never holds requests back.
        await new Promise((resolve) => setImmediate(resolve));
      } while (handled >= job.batch && Date.now() < opts.deadlineMs);
    } catch (e) {
      report.error = e instanceof Error ? e.message : String(e);
      s.logger.error({ err: e, job: job.name }, 'scheduled job failed');
    }
    report.ms = Date.now() - started;
    reports[job.name] = report;
    s.metrics.jobRan(job.name, report, Date.now());
    // Progress of long work (a million lots to expire takes minutes): one line per round that did something.
    if (report.handled > 0) s.logger.info({ job: job.name, ...report }, 'scheduled job progress');
  }
  return reports;
}

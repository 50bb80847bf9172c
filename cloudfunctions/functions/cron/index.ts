/**
 * `cron`: the timer trigger (config.json, every minute) and nothing else.
 * Timer events look like { Type: 'Timer', TriggerName, Time } and come with
 * no caller; a callFunction from any client (mini-program, web, anonymous)
 * carries the caller's identity and runs nothing, so nobody can run the jobs
 * over and over. Operators run a job now through the admin routes
 * (POST /api/admin/outbox/dispatch, /api/admin/holds/sweep).
 */
import { runJobs, type JobReport } from '../../core/functions/cron-jobs.js';
import { callerOf, hasIdentity } from '../caller.js';
import { CRON_TRIGGER } from '../manifest.js';
import { startFailure, warmServices } from '../runtime.js';

// The function's timeout should be 60 s (docs/deploy.md); stop starting new rounds well before it.
const BUDGET_MS = 40_000;

export interface CronEvent {
  Type?: string;
  TriggerName?: string;
}

export type CronResult =
  | { ok: true; jobs: Record<string, JobReport> }
  | { ok: false; error: { code: string; message: string; status: number } };

export async function main(event: CronEvent = {}, context?: unknown): Promise<CronResult> {
  const isTimer = event?.Type === 'Timer' && event.TriggerName === CRON_TRIGGER;
  if (!isTimer || hasIdentity(callerOf(context))) {
    return { ok: false, error: { code: 'FORBIDDEN', message: 'The scheduler runs on its timer only.', status: 403 } };
  }
  let services;
  try {
    services = await warmServices();
  } catch (e) {
    return { ok: false, error: startFailure(e) };
  }
  const reports = await runJobs(services, { deadlineMs: Date.now() + BUDGET_MS });
  services.logger.info({ trigger: event.TriggerName, jobs: reports }, 'scheduled jobs ran');
  return { ok: true, jobs: reports };
}

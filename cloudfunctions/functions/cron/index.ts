/**
 * `cron`: the timer trigger (config.json, every minute). Timer events look
 * like { Type: 'Timer', TriggerName, Time }; an operator may also invoke it
 * by hand with { jobs: ['outbox'] } to run some jobs now.
 */
import { CRON_JOBS, runJobs, type JobReport } from '../../core/functions/cron-jobs.js';
import { callerOf } from '../caller.js';
import { startFailure, warmServices } from '../runtime.js';

// The function's timeout should be 60 s (docs/deploy.md); stop starting new rounds well before it.
const BUDGET_MS = 40_000;

export interface CronEvent {
  Type?: string;
  TriggerName?: string;
  jobs?: unknown;
}

export type CronResult =
  | { ok: true; jobs: Record<string, JobReport> }
  | { ok: false; error: { code: string; message: string; status: number } };

export async function main(event: CronEvent = {}, context?: unknown): Promise<CronResult> {
  // Any mini-program user could callFunction('cron'): it runs nothing for them.
  if (callerOf(context).openid) {
    return { ok: false, error: { code: 'FORBIDDEN', message: 'The scheduler is not for clients.', status: 403 } };
  }
  const wanted = Array.isArray(event.jobs) ? new Set(event.jobs) : null;
  const jobs = wanted ? CRON_JOBS.filter((j) => wanted.has(j.name)) : CRON_JOBS;
  let services;
  try {
    services = await warmServices();
  } catch (e) {
    return { ok: false, error: startFailure(e) };
  }
  const reports = await runJobs(services, { jobs, deadlineMs: Date.now() + BUDGET_MS });
  services.logger.info({ trigger: event.TriggerName ?? 'manual', jobs: reports }, 'scheduled jobs ran');
  return { ok: true, jobs: reports };
}

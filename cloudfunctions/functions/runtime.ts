/**
 * What every deployed function shares: configuration from the function's
 * environment variables, one store and one set of services per warm
 * container. CloudBase keeps a container (and this module's state) alive
 * between invocations, so the store is opened on the first call and reused;
 * a failed start is forgotten so the next invocation tries again.
 */
import { ConfigError, loadConfig, type SandboxProviders } from '../core/config.js';
import type { Services } from '../core/http/context.js';
import { createLogger } from '../core/logger.js';
import { openStore } from '../core/store/open-store.js';
import { createServices } from '../core/wiring.js';

// Sandbox mode generates secrets and keys into a data directory: that is for
// `npm start`. A function has no lasting disk, so it must be configured.
const noSandbox: SandboxProviders = {
  secrets: () => {
    throw new ConfigError('Set JIFEN_ADMIN_TOKEN and JIFEN_SECRET in the function environment variables.');
  },
  paymentKeys: () => {
    throw new ConfigError('Cloud functions do not run in sandbox mode: set WECHAT_APPID (and the payment keys).');
  },
};

let warm: Promise<Services> | null = null;

async function start(): Promise<Services> {
  const config = loadConfig(process.env, noSandbox);
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl);
  const services = createServices({ config, store, logger });
  // A function answers once and ends: it cannot hold a live balance stream open (the app polls there).
  services.live.close();
  logger.info({ backend: store.backend }, 'function container started');
  return services;
}

/** The container's services, started on first use. */
export function warmServices(): Promise<Services> {
  warm ??= start().catch((e: unknown) => {
    warm = null;
    throw e;
  });
  return warm;
}

/** Why the container could not start, as something safe to answer (never the configuration itself). */
export function startFailure(e: unknown): { code: string; message: string; status: number } {
  // The function's own log gets what went wrong, not the error object: an SDK
  // error can carry its request, and requests carry credentials.
  const { name, message, code } = e as { name?: string; message?: string; code?: unknown };
  console.error(JSON.stringify({ msg: 'function container did not start', name, code, message }));
  return e instanceof ConfigError
    ? { code: 'NOT_CONFIGURED', message: 'The function is not configured; see its log.', status: 503 }
    : { code: 'STORE_UNAVAILABLE', message: 'The store is unavailable; please retry.', status: 503 };
}

/** Test and bench hook: close the store and forget the container, as if it were recycled. */
export async function recycle(): Promise<void> {
  const current = warm;
  warm = null;
  if (current) await (await current.catch(() => null))?.store.close();
}

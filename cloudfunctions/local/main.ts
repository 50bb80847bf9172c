/**
 * `npm start`: the local server. SQLite at data/jifen.db unless DATABASE_URL
 * says otherwise; sandbox mode (and says so) when WECHAT_APPID is unset.
 */
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from '../core/config.js';
import { runJobs } from '../core/functions/cron-jobs.js';
import { appFor } from '../core/http/app.js';
import { createServices } from '../core/wiring.js';
import { createLogger } from '../core/logger.js';
import { openStore } from '../core/store/open-store.js';
import { serveConsole } from './console-static.js';
import { serveH5 } from './h5-static.js';
import { dataDirOf, sandboxProviders } from './sandbox-secrets.js';

const BACKGROUND_INTERVAL_MS = 3000;

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(env, sandboxProviders(dataDirOf(env.DATABASE_URL ?? 'sqlite:data/jifen.db')));
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl);
  const services = createServices({ config, store, logger });
  const app = appFor(services);
  const consoleUi = serveConsole(app); // before the H5 app's catch-all
  const h5 = serveH5(app);

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${info.port}`;
    logger.info({ url, backend: store.backend, sandbox: config.sandbox }, 'jifen listening');
    // The banner goes to stdout on purpose: in sandbox the token is for the person at the terminal.
    console.log(`jifen listening on ${url} (${store.backend}${config.sandbox ? ', SANDBOX MODE' : ''})`);
    console.log(h5 ? `  member H5 app: ${url}/` : '  member H5 app: run `npm run build:h5` to serve it at /');
    console.log(
      consoleUi
        ? `  HQ console:    ${url}/console/`
        : '  HQ console:    run `npm run build:console` to serve it at /console/',
    );
    if (config.sandbox) {
      // A token the operator supplied is theirs already and never printed; a generated one is shown once here.
      const supplied = Boolean(env.JIFEN_ADMIN_TOKEN?.trim());
      console.log(
        [
          '',
          '  SANDBOX MODE: WECHAT_APPID is not set. Logins accept any code, nothing talks to WeChat; loopback only.',
          supplied
            ? '  HQ admin token: the JIFEN_ADMIN_TOKEN you set'
            : `  HQ admin token: ${config.adminToken} (generated, kept in ${dataDirOf(config.databaseUrl)}/sandbox-secrets.json)`,
          `  try: curl -s ${url}/healthz`,
          `       curl -s -XPOST ${url}/api/member/login -H 'content-type: application/json' -d '{"code":"demo"}'`,
          '',
        ].join('\n'),
      );
    }
  });

  // Slow work happens after the answers: the same scheduled jobs the `cron`
  // function runs on CloudBase (subscribe messages, hold and lot expiry).
  let dispatching: Promise<unknown> | null = null;
  const dispatcher = setInterval(() => {
    if (dispatching) return; // the last round is still running
    dispatching = runJobs(services, { deadlineMs: Date.now() + BACKGROUND_INTERVAL_MS })
      .catch((e: unknown) => logger.warn({ err: e }, 'background round failed'))
      .finally(() => (dispatching = null));
  }, BACKGROUND_INTERVAL_MS);
  dispatcher.unref();

  const stop = (signal: string) => {
    clearInterval(dispatcher);
    logger.info({ signal }, 'shutting down');
    services.live.close(); // open event streams end, or they would hold the close below
    // Let a dispatch under way finish before the store closes under it.
    server.close(
      () =>
        void Promise.resolve(dispatching)
          .then(() => store.close())
          .then(() => process.exit(0)),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});

/**
 * The real HTTP app over a real SQLite file, called through app.request() (no socket), or with
 * `{ socket: true }` served by @hono/node-server on 127.0.0.1 as `npm start` serves it, with its
 * logs captured.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../cloudfunctions/core/config.js';
import { appFor } from '../../cloudfunctions/core/http/app.js';
import type { Services } from '../../cloudfunctions/core/http/context.js';
import { createServices } from '../../cloudfunctions/core/wiring.js';
import { createLogger } from '../../cloudfunctions/core/logger.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import type { Fetcher } from './http.js';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from './server-process.js';

export interface TestApp {
  fetch: Fetcher;
  store: Store;
  config: Config;
  logs: string[];
  /** Milliseconds added to the real clock the app sees: move time forward in a test. */
  clock: { offset: number };
  /** The services behind the app, for running a background job's step as the server's timer would. */
  services: Services;
  close(): Promise<void>;
}

export async function testApp(env: Record<string, string> = {}, opts: { socket?: boolean } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-api-'));
  const databaseUrl = `sqlite:${join(dir, 'jifen.db')}`;
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      JIFEN_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      // app.request() has no socket: every request is one address. The rate-limit tests turn limits on.
      JIFEN_RATE_LIMIT: 'off',
      ...env,
    },
    sandboxProviders(dir),
  );
  const store = await openStore(config.databaseUrl);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const clock = { offset: 0 };
  const services = createServices({
    config,
    store,
    logger: createLogger('info', sink),
    clock: () => Date.now() + clock.offset,
  });
  const app = appFor(services);
  if (!opts.socket) {
    return {
      fetch: async (path, init) => app.request(`http://localhost${path}`, init),
      store,
      config,
      logs,
      clock,
      services,
      close: () => store.close(),
    };
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    fetch: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
    store,
    config,
    logs,
    clock,
    services,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

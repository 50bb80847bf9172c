/** "METHOD /path" for every route in the server's generated /openapi.json, from the real app in sandbox. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { appFor } from '../../cloudfunctions/core/http/app.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import { createServices } from '../../cloudfunctions/core/wiring.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';

export default async function openapiRoutes(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-openapi-'));
  const config = loadConfig(
    { DATABASE_URL: `sqlite:${join(dir, 'jifen.db')}`, LOG_LEVEL: 'silent' },
    sandboxProviders(dir),
  );
  const store = await openStore(config.databaseUrl);
  try {
    const app = appFor(createServices({ config, store }));
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
  } finally {
    await store.close();
  }
}

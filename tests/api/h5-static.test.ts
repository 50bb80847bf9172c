/**
 * The member H5 app as the local server serves it: the brotli or gzip copy
 * the build made when the browser accepts one (and the same bytes once
 * decoded), a year's cache for files named by their content hash, and a
 * revalidation for index.html. Needs the H5 build (`npm test` makes it first).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cloudfunctions/core/config.js';
import { createApp } from '../../cloudfunctions/core/http/app.js';
import { createLogger } from '../../cloudfunctions/core/logger.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { serveH5 } from '../../cloudfunctions/local/h5-static.js';
import { sandboxProviders } from '../../cloudfunctions/local/sandbox-secrets.js';
import { TEST_ADMIN_TOKEN, TEST_SECRET } from '../support/server-process.js';

const H5 = join(process.cwd(), 'dist/h5');
const built = existsSync(join(H5, 'index.html'));
let store: Store;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  if (!built) return;
  const dir = mkdtempSync(join(tmpdir(), 'jifen-h5-'));
  const config = loadConfig(
    {
      DATABASE_URL: 'sqlite::memory:',
      JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      JIFEN_SECRET: TEST_SECRET,
      JIFEN_RATE_LIMIT: 'off',
    },
    sandboxProviders(dir),
  );
  store = await openStore(config.databaseUrl);
  app = createApp({ config, store, logger: createLogger('warn') });
  expect(serveH5(app)).toBe(true);
});
afterAll(() => store?.close());

describe.skipIf(!built)('the H5 app', () => {
  const appScript = () => readdirSync(join(H5, 'js')).find((f) => /^app\.[0-9a-f]{8}\.js$/.test(f))!;
  const get = (path: string, encoding?: string) =>
    app.request(`http://localhost${path}`, encoding ? { headers: { 'accept-encoding': encoding } } : {});

  it('sends brotli to a browser that takes it, gzip to one that takes only that, plain to the rest: the same bytes', async () => {
    const name = appScript();
    const original = readFileSync(join(H5, 'js', name));
    const br = await get(`/js/${name}`, 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(brBody.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(brBody).equals(original)).toBe(true);
    const gz = await get(`/js/${name}`, 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(original)).toBe(true);
    const plain = await get(`/js/${name}`);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);
  });

  it('caches hashed files for a year and revalidates index.html', async () => {
    expect((await get(`/js/${appScript()}`, 'br')).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    const index = await get('/', 'br');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Never a blank white page while scripts load on a slow network; zooming allowed; an icon in the page.
    const html = brotliDecompressSync(Buffer.from(await index.arrayBuffer())).toString('utf8');
    expect(html).toContain('积分加载中…');
    expect(html).not.toContain('user-scalable=no');
    expect(html).toContain('rel="icon"');
  });

  it('leaves the API alone: its answers are neither cached nor taken by the static files', async () => {
    const health = await get('/healthz', 'br');
    expect(health.headers.get('cache-control') ?? '').not.toContain('immutable');
    expect(await health.json()).toMatchObject({ ok: true });
  });
});

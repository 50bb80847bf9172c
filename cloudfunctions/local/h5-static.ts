/**
 * The member H5 app at `/` when `npm run build:h5` has produced dist/h5.
 * Registered after every API route, so it only answers GETs they did not take;
 * the H5 router uses hashes, so no fallback to index.html is needed.
 *
 * What a phone on a slow network needs: the brotli or gzip copy the build
 * made (compress-h5.ts) when the browser accepts it, and files whose name
 * carries their content hash cached for a year (a new build has new names);
 * everything else, index.html first, revalidated on every load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import type { App } from '../core/http/context.js';
import { appSecurityHeaders } from '../core/http/security-headers.js';

/** The project's root: the nearest folder above this file with our package.json (the source or the bundle in dist/server). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cloudfunctions'))) return dir;
  }
  return process.cwd();
}

const H5_DIR = join(projectRoot(), 'dist/h5');
/** Taro's output names: app.9779c3ac.js, index.5f1c2a3b.css. */
const HASHED = /\.[0-9a-f]{8}\.(js|css)$/;

/** Files whose name carries their content hash are cached for a year; everything else is revalidated. */
export const cacheHeaders =
  (hashed: RegExp): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    c.header('Cache-Control', hashed.test(c.req.path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  };

export function serveH5(app: App): boolean {
  if (!existsSync(`${H5_DIR}/index.html`)) return false;
  // serveStatic resolves root against the working directory.
  app.get(
    '*',
    appSecurityHeaders(readFileSync(`${H5_DIR}/index.html`, 'utf8')),
    cacheHeaders(HASHED),
    serveStatic({ root: relative(process.cwd(), H5_DIR) || '.', precompressed: true }),
  );
  return true;
}

/**
 * The HQ console at /console/ when `npm run build:console` has produced
 * dist/console (the console/ workspace: React + antd, built by Vite). The
 * same treatment as the member H5 app (h5-static.ts): its own
 * Content-Security-Policy, precompressed copies, year-long caching of
 * hashed files and a revalidated index.html. Registered before the H5
 * app's catch-all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { App } from '../core/http/context.js';
import { appSecurityHeaders } from '../core/http/security-headers.js';
import { cacheHeaders, projectRoot } from './h5-static.js';

const DIST = join(projectRoot(), 'dist');
const CONSOLE_DIR = join(DIST, 'console');
/** Vite's output names: index-DdTqCfLh.js. */
const HASHED = /-[A-Za-z0-9_-]{8}\.(js|css)$/;

export function serveConsole(app: App): boolean {
  if (!existsSync(`${CONSOLE_DIR}/index.html`)) return false;
  const headers = appSecurityHeaders(readFileSync(`${CONSOLE_DIR}/index.html`, 'utf8'));
  app.get('/console', (c) => c.redirect('/console/'));
  app.get(
    '/console/*',
    headers,
    cacheHeaders(HASHED),
    // Request paths keep their /console/ prefix, so the root is dist/ (relative to the working directory).
    serveStatic({ root: relative(process.cwd(), DIST) || '.', precompressed: true }),
  );
  return true;
}

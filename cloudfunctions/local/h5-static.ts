/**
 * The member H5 app at `/` when `npm run build:h5` has produced dist/h5.
 * Registered after every API route, so it only answers GETs they did not take;
 * the H5 router uses hashes, so no fallback to index.html is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { App } from '../core/http/context.js';
import { appSecurityHeaders } from '../core/http/security-headers.js';

const H5_DIR = fileURLToPath(new URL('../../dist/h5', import.meta.url));

export function serveH5(app: App): boolean {
  if (!existsSync(`${H5_DIR}/index.html`)) return false;
  // serveStatic resolves root against the working directory.
  app.get(
    '*',
    appSecurityHeaders(readFileSync(`${H5_DIR}/index.html`, 'utf8')),
    serveStatic({ root: relative(process.cwd(), H5_DIR) || '.' }),
  );
  return true;
}

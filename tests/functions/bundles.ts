/**
 * The built bundles, loaded the way CloudBase loads them: require() of
 * <name>/index.js and a call of its exports.main(event, context). Built once
 * per test file into node_modules/.cache (inside the repository, so the SQL
 * drivers the bundles leave out still resolve from node_modules here).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions, type BuiltFunction } from '../../cloudfunctions/functions/build.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

export type Main = (event: unknown, context?: unknown) => Promise<any>;

export interface Bundles {
  built: BuiltFunction[];
  member: Main;
  staff: Main;
  notify: Main;
  cron: Main;
  /** Deletes the built files (the loaded modules stay loaded). */
  remove(): void;
}

export async function buildAndLoad(tag: string): Promise<Bundles> {
  const outDir = join(root, 'node_modules/.cache/jifen-functions', `${tag}-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  const built = await buildFunctions(outDir);
  const load = (name: string) => (require(join(outDir, name, 'index.js')) as { main: Main }).main;
  return {
    built,
    member: load('member'),
    staff: load('staff'),
    notify: load('notify'),
    cron: load('cron'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/**
 * The caller context CloudBase sets for a callFunction from the mini-program:
 * per invocation, in environment variables named by WX_CONTEXT_KEYS (what
 * wx-server-sdk's getWXContext reads). Returns the undo.
 */
export function asMiniProgramUser(openid: string, appid: string): () => void {
  const vars = { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID', WX_OPENID: openid, WX_APPID: appid };
  Object.assign(process.env, vars);
  return () => {
    for (const k of Object.keys(vars)) delete process.env[k];
  };
}

/** An HTTP access service event, as the gateway builds it from a request. */
export function httpEvent(
  method: string,
  path: string,
  opts: { body?: string; headers?: Record<string, string>; base64?: boolean } = {},
) {
  const [pathname, search = ''] = path.split('?');
  return {
    path: pathname,
    httpMethod: method,
    headers: { host: 'env-test.service.tcloudbase.com', ...opts.headers },
    queryStringParameters: Object.fromEntries(new URLSearchParams(search)),
    requestContext: { requestId: 'test', envId: 'env-test', appId: 123, uin: 123 },
    body: opts.body === undefined ? '' : opts.base64 ? Buffer.from(opts.body).toString('base64') : opts.body,
    isBase64Encoded: opts.base64 ?? false,
  };
}

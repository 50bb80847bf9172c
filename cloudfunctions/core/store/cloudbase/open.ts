/**
 * The database behind a CloudBase DATABASE_URL:
 * - `cloudbase://<envId>`: a real environment through @cloudbase/node-sdk,
 *   loaded only here so other bundles never carry it. Credentials come from
 *   TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY (and _SESSIONTOKEN); inside
 *   a cloud function, where none are set, the SDK uses the function's own.
 *   An empty envId means TCB_ENV_ID, or else the function's current environment.
 * - `cloudbase-memory://<name>`: the in-process stand-in (memory-db.ts), one
 *   database per name, for tests and for running function bundles locally.
 * Either may end in `?prefix=<p>`: every collection name then starts with p,
 * so test runs (or a staging copy) share an environment without sharing data.
 * The stand-in also takes `latencyMs=<n>`, a delay per call like a network's.
 */
import type { CloudbaseDb } from './db-api.js';

export const MEMORY_PREFIX = 'cloudbase-memory://';
export const LIVE_PREFIX = 'cloudbase://';

export async function cloudbaseDbFor(url: string, env: NodeJS.ProcessEnv = process.env): Promise<CloudbaseDb> {
  const [base, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  const prefix = params.get('prefix') ?? '';
  const db = await unprefixed(base, env);
  if (params.has('latencyMs') && 'latencyMs' in db) db.latencyMs = Number(params.get('latencyMs'));
  return prefix ? prefixed(db, prefix) : db;
}

async function unprefixed(url: string, env: NodeJS.ProcessEnv): Promise<CloudbaseDb> {
  if (url.startsWith(MEMORY_PREFIX)) {
    const { memoryDatabase } = await import('./memory-db.js');
    return memoryDatabase(url.slice(MEMORY_PREFIX.length));
  }
  if (!url.startsWith(LIVE_PREFIX)) throw new Error(`not a CloudBase DATABASE_URL: "${url.split(':')[0]}:..."`);
  const { default: tcb } = await import('@cloudbase/node-sdk');
  const envId = url.slice(LIVE_PREFIX.length) || env.TCB_ENV_ID;
  const app = tcb.init({
    env: envId || tcb.SYMBOL_CURRENT_ENV,
    ...(env.TENCENTCLOUD_SECRETID && env.TENCENTCLOUD_SECRETKEY
      ? {
          secretId: env.TENCENTCLOUD_SECRETID,
          secretKey: env.TENCENTCLOUD_SECRETKEY,
          ...(env.TENCENTCLOUD_SESSIONTOKEN ? { sessionToken: env.TENCENTCLOUD_SESSIONTOKEN } : {}),
        }
      : {}),
  });
  // The SDK's typings say a read inside a transaction answers an array; at runtime it is the document (db-api.ts).
  return app.database() as unknown as CloudbaseDb;
}

function prefixed(db: CloudbaseDb, prefix: string): CloudbaseDb {
  return {
    command: db.command,
    collection: (name) => db.collection(prefix + name),
    createCollection: (name) => db.createCollection(prefix + name),
    startTransaction: async () => {
      const tx = await db.startTransaction();
      return {
        collection: (name) => tx.collection(prefix + name),
        commit: () => tx.commit(),
        rollback: (reason) => tx.rollback(reason),
      };
    },
  };
}

/** DATABASE_URL → a migrated store. The backend modules load lazily so a bundle carries only its own driver. */
import { checkLockOrder } from './lock-order.js';
import type { Store } from './port.js';

/** With JIFEN_CHECK_LOCK_ORDER=on (the test suites set it), every transaction checks its lock order (lock-order.ts). */
export async function openStore(url: string): Promise<Store> {
  const store = await openBackend(url);
  return process.env.JIFEN_CHECK_LOCK_ORDER === 'on' ? checkLockOrder(store) : store;
}

/** Whether DATABASE_URL names PostgreSQL (its two URL schemes). */
export const isPostgresUrl = (url: string): boolean => url.startsWith('postgres://') || url.startsWith('postgresql://');

async function openBackend(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite/store.js');
    return SqliteStore.open(url.slice('sqlite:'.length));
  }
  if (isPostgresUrl(url)) {
    const { PostgresStore } = await import('./postgres/store.js');
    // Named prepared statements unless a pooler in transaction mode sits in between (README "Configuration").
    return PostgresStore.open(url, { prepare: process.env.JIFEN_PG_PREPARE !== 'off' });
  }
  if (url.startsWith('cloudbase://') || url.startsWith('cloudbase-memory://')) {
    // cloudbase://<envId> is a real environment; cloudbase-memory://<name> the in-process stand-in (cloudbase/open.ts).
    const [{ cloudbaseDbFor }, { openCloudbaseStore }] = await Promise.all([
      import('./cloudbase/open.js'),
      import('./cloudbase/store.js'),
    ]);
    return openCloudbaseStore(await cloudbaseDbFor(url));
  }
  throw new Error(
    `DATABASE_URL must start with sqlite:, postgres://, cloudbase:// or cloudbase-memory:// (got "${url.split(':')[0]}:...")`,
  );
}

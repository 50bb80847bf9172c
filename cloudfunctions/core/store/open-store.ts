/** DATABASE_URL → a migrated store. The backend modules load lazily so a bundle carries only its own driver. */
import type { Store } from './port.js';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite/store.js');
    return SqliteStore.open(url.slice('sqlite:'.length));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open(url);
  }
  if (url.startsWith('cloudbase://')) {
    throw new Error('DATABASE_URL cloudbase:// is not available yet: the CloudBase adapter is a later issue.');
  }
  throw new Error(`DATABASE_URL must start with sqlite:, postgres:// or cloudbase:// (got "${url.split(':')[0]}:...")`);
}

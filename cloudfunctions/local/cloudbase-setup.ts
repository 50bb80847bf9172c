/**
 * `npx tsx cloudfunctions/local/cloudbase-setup.ts <envId> [--dry-run]`: creates in a CloudBase
 * environment every collection the adapter uses and the indexes its queries
 * need (store/cloudbase/collections.ts, the one list), and makes each
 * collection 仅管理端可读写 (ADMINONLY): only the functions touch the data,
 * never a client. Safe to re-run: what exists is left as it is.
 *
 * The node SDK cannot manage collections or indexes; @cloudbase/manager-node
 * can. It is not a dependency of the project (nothing at run time needs it):
 * `npm i --no-save @cloudbase/manager-node` first. Credentials come from the
 * environment (TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY, a CAM key
 * with CloudBase rights), never from the command line or the repository.
 */
import { COLLECTIONS, type IndexSpec } from '../core/store/cloudbase/collections.js';

interface Manager {
  database: {
    createCollectionIfNotExists(name: string): Promise<{ IsCreated?: boolean }>;
    checkIndexExists(collection: string, index: string): Promise<{ Exists?: boolean }>;
    updateCollection(collection: string, options: { CreateIndexes: unknown[] }): Promise<unknown>;
  };
  commonService(): { call(req: { Action: string; Param: Record<string, unknown> }): Promise<unknown> };
}

const indexRequest = (i: IndexSpec) => ({
  IndexName: i.name,
  MgoKeySchema: {
    MgoIsUnique: Boolean(i.unique),
    MgoIndexKeys: i.keys.map(([Name, direction]) => ({ Name, Direction: String(direction) })),
  },
});

async function manager(envId: string): Promise<Manager> {
  const secretId = process.env.TENCENTCLOUD_SECRETID;
  const secretKey = process.env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) throw new Error('Set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (a CAM API key).');
  const pkg = '@cloudbase/manager-node'; // a variable: not a dependency, so not resolved at build time
  let mod: { default: new (o: object) => Manager };
  try {
    mod = (await import(pkg)) as typeof mod;
  } catch {
    throw new Error('Install the management SDK first: npm i --no-save @cloudbase/manager-node');
  }
  return new mod.default({ secretId, secretKey, envId });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const envId = args.find((a) => !a.startsWith('--')) ?? process.env.TCB_ENV_ID;
  if (!envId)
    throw new Error('usage: npx tsx cloudfunctions/local/cloudbase-setup.ts <envId> [--dry-run]   (or set TCB_ENV_ID)');
  const m = dryRun ? null : await manager(envId);
  for (const c of COLLECTIONS) {
    if (m) {
      const r = await m.database.createCollectionIfNotExists(c.name);
      await m.commonService().call({
        Action: 'ModifyDatabaseACL',
        Param: { EnvId: envId, CollectionName: c.name, AclTag: 'ADMINONLY' },
      });
      console.log(`${r.IsCreated ? 'created' : 'exists '} ${c.name} (ADMINONLY)`);
    } else console.log(`collection ${c.name} (ADMINONLY)`);
    for (const i of c.indexes) {
      const keys = i.keys.map(([k, d]) => `${k} ${d === 1 ? 'asc' : 'desc'}`).join(', ');
      if (!m) {
        console.log(`  index ${i.name}: ${keys}${i.unique ? ' (unique)' : ''}`);
        continue;
      }
      if ((await m.database.checkIndexExists(c.name, i.name)).Exists) {
        console.log(`  exists  index ${i.name}`);
        continue;
      }
      await m.database.updateCollection(c.name, { CreateIndexes: [indexRequest(i)] });
      console.log(`  created index ${i.name}: ${keys}${i.unique ? ' (unique)' : ''}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

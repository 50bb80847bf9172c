/**
 * The deployed functions: each an entry (./<name>/index.ts) and the
 * config.json WeChat devtools and the CloudBase CLI read next to it. A timer
 * cron expression has seven fields: second minute hour day month weekday year;
 * a function may have one timer trigger.
 */
export interface FunctionSpec {
  name: 'member' | 'staff' | 'notify' | 'cron';
  /** Written as config.json: `permissions.openapi` lists 云调用 APIs (we call WeChat over HTTPS instead). */
  config: {
    permissions: { openapi: string[] };
    triggers?: Array<{ name: string; type: 'timer'; config: string }>;
  };
}

const noOpenApi = { openapi: [] };

/** The cron function's one timer; the function runs for it and nothing else. */
export const CRON_TRIGGER = 'everyMinute';

export const FUNCTIONS: FunctionSpec[] = [
  { name: 'member', config: { permissions: noOpenApi } },
  { name: 'staff', config: { permissions: noOpenApi } },
  { name: 'notify', config: { permissions: noOpenApi } },
  {
    name: 'cron',
    config: { permissions: noOpenApi, triggers: [{ name: CRON_TRIGGER, type: 'timer', config: '0 * * * * * *' }] },
  },
];

/**
 * Never bundled, never shipped: the SQL drivers. open-store.ts imports a
 * backend only when DATABASE_URL names it, so a CloudBase bundle never
 * requires them; in tests on this machine they resolve from node_modules.
 */
export const NOT_SHIPPED = ['better-sqlite3', 'pg', 'pg-native', 'pg-query-stream'];

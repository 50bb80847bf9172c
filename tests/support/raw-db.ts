/**
 * Straight to the database behind a store, around the port: for states no
 * service makes yet (a frozen member) and for tables no port method reads.
 */
export interface RawDb {
  /** `?` placeholders on every SQL backend; CloudBase has no SQL and refuses. */
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Sets columns of the row (document) with this id, on every backend. Columns in snake_case. */
  update(table: string, id: string, columns: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function sqlUpdate(run: RawDb['run']): RawDb['update'] {
  return (table, id, columns) => {
    const names = Object.keys(columns);
    return run(`UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`, [
      ...Object.values(columns),
      id,
    ]);
  };
}

export async function rawDb(url: string): Promise<RawDb> {
  if (url.startsWith('cloudbase')) {
    const { cloudbaseDbFor } = await import('../../cloudfunctions/core/store/cloudbase/open.js');
    const { docId } = await import('../../cloudfunctions/core/store/cloudbase/doc-ids.js');
    const { checked } = await import('../../cloudfunctions/core/store/cloudbase/db-api.js');
    const db = await cloudbaseDbFor(url);
    const noSql = async (): Promise<never> => {
      throw new Error('CloudBase has no SQL: use update()');
    };
    return {
      run: noSql,
      all: noSql,
      update: async (table, id, columns) => {
        const fields = Object.fromEntries(Object.entries(columns).map(([k, v]) => [camel(k), v]));
        const { updated } = checked(await db.collection(table).doc(docId(id)).update(fields));
        if (updated !== 1) throw new Error(`${table}/${id} does not exist`);
      },
      close: async () => undefined,
    };
  }
  if (url.startsWith('sqlite:')) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(url.slice('sqlite:'.length));
    const run: RawDb['run'] = async (sql, params = []) => void db.prepare(sql).run(...params);
    return {
      run,
      all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
      update: sqlUpdate(run),
      close: async () => void db.close(),
    };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const run: RawDb['run'] = async (sql, params = []) => void (await client.query(numbered(sql), params));
  return {
    run,
    update: sqlUpdate(run),
    all: async <T>(sql: string, params: unknown[] = []) => (await client.query(numbered(sql), params)).rows as T[],
    close: () => client.end(),
  };
}

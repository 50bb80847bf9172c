import { migrationsFor } from '../sql/schema.js';

export const migrations = migrationsFor({
  types: { serial: 'INTEGER PRIMARY KEY', int: 'INTEGER' },
  randomHex: 'lower(hex(randomblob(8)))',
  immutable: (tables) =>
    tables.flatMap((t) =>
      ['UPDATE', 'DELETE'].map(
        (op) =>
          `CREATE TRIGGER ${t}_no_${op.toLowerCase()} BEFORE ${op} ON ${t}
           BEGIN SELECT RAISE(ABORT, '${t} are immutable'); END`,
      ),
    ),
  onlyColumnMutable: (table, _column, others) => [
    `DROP TRIGGER ${table}_no_update`,
    `CREATE TRIGGER ${table}_no_update BEFORE UPDATE OF ${others.join(', ')} ON ${table}
     BEGIN SELECT RAISE(ABORT, '${table} are immutable'); END`,
  ],
});

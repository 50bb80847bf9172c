import { IMMUTABLE_TABLES, ledgerSchema, type Migration } from '../sql/schema.js';

const immutable = IMMUTABLE_TABLES.flatMap((t) =>
  ['UPDATE', 'DELETE'].map(
    (op) =>
      `CREATE TRIGGER ${t}_no_${op.toLowerCase()} BEFORE ${op} ON ${t}
       BEGIN SELECT RAISE(ABORT, '${t} are immutable'); END`,
  ),
);

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'ledger',
    statements: [...ledgerSchema({ serial: 'INTEGER PRIMARY KEY', int: 'INTEGER' }), ...immutable],
  },
];

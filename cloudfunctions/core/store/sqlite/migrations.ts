import {
  identitySchema,
  IMMUTABLE_TABLES,
  ledgerSchema,
  paymentsSchema,
  rewardsSchema,
  type Migration,
} from '../sql/schema.js';

const types = { serial: 'INTEGER PRIMARY KEY', int: 'INTEGER' };

const immutable = (tables: readonly string[]) =>
  tables.flatMap((t) =>
    ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER ${t}_no_${op.toLowerCase()} BEFORE ${op} ON ${t}
         BEGIN SELECT RAISE(ABORT, '${t} are immutable'); END`,
    ),
  );

export const migrations: Migration[] = [
  { version: 1, name: 'ledger', statements: [...ledgerSchema(types), ...immutable(IMMUTABLE_TABLES[1])] },
  { version: 2, name: 'payments', statements: [...paymentsSchema(types), ...immutable(IMMUTABLE_TABLES[2])] },
  { version: 3, name: 'identity', statements: identitySchema(types) },
  { version: 4, name: 'rewards', statements: [...rewardsSchema(types), ...immutable(IMMUTABLE_TABLES[4])] },
];

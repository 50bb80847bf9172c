import {
  identitySchema,
  IMMUTABLE_TABLES,
  ledgerSchema,
  paymentsSchema,
  rewardsSchema,
  type Migration,
} from '../sql/schema.js';

const types = { serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', int: 'BIGINT' };

const immutable = (tables: readonly string[]) =>
  tables.map(
    (t) =>
      `CREATE TRIGGER ${t}_immutable BEFORE UPDATE OR DELETE ON ${t}
       FOR EACH ROW EXECUTE FUNCTION jifen_refuse_change()`,
  );

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'ledger',
    statements: [
      ...ledgerSchema(types),
      `CREATE FUNCTION jifen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% are immutable', TG_TABLE_NAME; END $$`,
      ...immutable(IMMUTABLE_TABLES[1]),
    ],
  },
  { version: 2, name: 'payments', statements: [...paymentsSchema(types), ...immutable(IMMUTABLE_TABLES[2])] },
  { version: 3, name: 'identity', statements: identitySchema(types) },
  { version: 4, name: 'rewards', statements: [...rewardsSchema(types), ...immutable(IMMUTABLE_TABLES[4])] },
];

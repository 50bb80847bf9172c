import { IMMUTABLE_TABLES, ledgerSchema, type Migration } from '../sql/schema.js';

const immutable = [
  `CREATE FUNCTION jifen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION '% are immutable', TG_TABLE_NAME; END $$`,
  ...IMMUTABLE_TABLES.map(
    (t) =>
      `CREATE TRIGGER ${t}_immutable BEFORE UPDATE OR DELETE ON ${t}
       FOR EACH ROW EXECUTE FUNCTION jifen_refuse_change()`,
  ),
];

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'ledger',
    statements: [
      ...ledgerSchema({ serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', int: 'BIGINT' }),
      ...immutable,
    ],
  },
];

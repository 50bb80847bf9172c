import { migrationsFor } from '../sql/schema.js';

export const migrations = migrationsFor({
  types: { serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', int: 'BIGINT' },
  randomHex: 'substr(md5(random()::text || clock_timestamp()::text), 1, 16)',
  ledgerPrelude: [
    `CREATE FUNCTION jifen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION '% are immutable', TG_TABLE_NAME; END $$`,
  ],
  immutable: (tables) =>
    tables.map(
      (t) =>
        `CREATE TRIGGER ${t}_immutable BEFORE UPDATE OR DELETE ON ${t}
         FOR EACH ROW EXECUTE FUNCTION jifen_refuse_change()`,
    ),
  onlyColumnMutable: (table, _column, others) => [
    `DROP TRIGGER ${table}_immutable ON ${table}`,
    `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION jifen_refuse_change()`,
    `CREATE TRIGGER ${table}_no_update BEFORE UPDATE OF ${others.join(', ')} ON ${table}
     FOR EACH ROW EXECUTE FUNCTION jifen_refuse_change()`,
  ],
});

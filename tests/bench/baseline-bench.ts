/**
 * The yardsticks the server's numbers are read against, measured in the same
 * run (absolute figures drift on a shared machine; ratios do not): the bare
 * accrual transaction of the storage engine, with nothing of ours around it.
 * Insert an event, its two entries, update the member's balance and a
 * system shard's, one commit each, durable (SQLite WAL + synchronous=FULL;
 * PostgreSQL synchronous_commit=on, 8 connections, sharded system rows).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runPool, summarize, type Row } from './stats.js';

const MEMBERS = 200;
const SHARDS = 8;
const SCHEMA = [
  'CREATE TABLE accounts (id TEXT PRIMARY KEY, balance BIGINT NOT NULL DEFAULT 0)',
  'CREATE TABLE events (id BIGINT PRIMARY KEY, key TEXT NOT NULL UNIQUE, member TEXT NOT NULL, delta BIGINT NOT NULL)',
  'CREATE TABLE entries (event_id BIGINT NOT NULL, account_id TEXT NOT NULL, amount BIGINT NOT NULL, balance_after BIGINT NOT NULL)',
];
const accountIds = [
  ...Array.from({ length: MEMBERS }, (_, i) => `m${i}`),
  ...Array.from({ length: SHARDS }, (_, i) => `sys:${i}`),
];

/** The bare SQLite accrual: one connection, one durable commit per transaction. */
export function bareSqliteAccruals(count: number, maxMs: number): Row {
  const dir = mkdtempSync(join(tmpdir(), 'jifen-bare-'));
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    for (const s of SCHEMA) db.exec(s);
    const add = db.prepare('INSERT INTO accounts (id) VALUES (?)');
    for (const id of accountIds) add.run(id);
    const event = db.prepare('INSERT INTO events (id, key, member, delta) VALUES (?, ?, ?, ?)');
    const entry = db.prepare('INSERT INTO entries (event_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)');
    const update = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance');
    const latencies: number[] = [];
    const started = performance.now();
    let i = 0;
    for (; i < count && performance.now() - started < maxMs; i++) {
      const t0 = performance.now();
      const member = `m${i % MEMBERS}`;
      const shard = `sys:${i % SHARDS}`;
      db.exec('BEGIN IMMEDIATE');
      event.run(i, `bare-${i}`, member, 10);
      const after = (update.get(10, member) as { balance: number }).balance;
      const shardAfter = (update.get(-10, shard) as { balance: number }).balance;
      entry.run(i, member, 10, after);
      entry.run(i, shard, -10, shardAfter);
      db.exec('COMMIT');
      latencies.push(performance.now() - t0);
    }
    const elapsedMs = performance.now() - started;
    return summarize(
      { name: 'bare SQLite accrual', done: i, ok: i, errors: {}, elapsedMs, latencies, timedOut: i < count },
      'better-sqlite3 alone: 5 statements, 1 fsync each',
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bare PostgreSQL accrual: 8 connections, 32 in flight, one commit per transaction. */
export async function barePostgresAccruals(url: string, count: number, maxMs: number): Promise<Row> {
  const pool = new pg.Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=on' });
  try {
    for (const s of SCHEMA) await pool.query(s.replace('CREATE TABLE ', 'CREATE TABLE bare_'));
    await pool.query(`INSERT INTO bare_accounts (id) SELECT unnest($1::text[])`, [accountIds]);
    const run = await runPool('bare PostgreSQL accrual', { count, concurrency: 32, maxMs }, async (i) => {
      const member = `m${i % MEMBERS}`;
      const shard = `sys:${i % SHARDS}`;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO bare_events (id, key, member, delta) VALUES ($1, $2, $3, 10)', [
          i,
          `bare-${i}`,
          member,
        ]);
        // Sorted, as our postings lock: the member's row, then the shard (m... < sys:...).
        const a = await client.query(
          'UPDATE bare_accounts SET balance = balance + 10 WHERE id = $1 RETURNING balance',
          [member],
        );
        const b = await client.query(
          'UPDATE bare_accounts SET balance = balance - 10 WHERE id = $1 RETURNING balance',
          [shard],
        );
        await client.query(
          'INSERT INTO bare_entries (event_id, account_id, amount, balance_after) VALUES ($1, $2, 10, $3), ($1, $4, -10, $5)',
          [i, member, a.rows[0].balance, shard, b.rows[0].balance],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    });
    return summarize(run, 'pg alone: 8 connections, 5 statements, 1 commit each');
  } finally {
    await pool.end();
  }
}

/** `a` as a multiple of `b`, with both figures, for the printed comparison. */
export function ratio(label: string, a: Row, b: Row): string {
  const r = b.opsPerSec > 0 ? a.opsPerSec / b.opsPerSec : NaN;
  const f = (v: number) => Math.round(v).toLocaleString('en-US');
  return `${label}: ${r.toFixed(2)} × (${f(a.opsPerSec)}/s ÷ ${f(b.opsPerSec)}/s)`;
}

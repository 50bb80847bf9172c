/**
 * Must show (issue 16), at 20,000 rows here (`npm run bench:batch` runs the
 * same scenario at 100,000): progress rises, a kill -9 mid-way and a restart
 * resume the batch, every row lands once, the ledger verifies; a rollback
 * returns every balance exactly and the ledger still verifies.
 */
import { expect, it } from 'vitest';
import { batchScenario } from './batch-scenario.js';

it('a batch killed mid-way resumes, lands every row once, and rolls back exactly', async () => {
  const r = await batchScenario(20_000, 200);
  expect(r.progress.length).toBeGreaterThan(1);
  expect(r.progress).toEqual([...r.progress].sort((a, b) => a - b)); // rising
  expect(r.doneAtKill).toBeGreaterThan(0);
  expect(r.doneAtKill).toBeLessThan(r.rows);
  expect(r.batch).toMatchObject({ status: 'rolled_back', failed: 0, reversed: r.rows });
  expect(r.balancesAfterApply).toEqual(r.expected);
  expect(r.verifiedAfterApply).toBe(true);
  expect(Object.values(r.balancesAfterRollback).every((b) => b === 0)).toBe(true);
  expect(r.verifiedAfterRollback).toBe(true);
  console.log(
    `batch of ${r.rows}: applied (with a kill and restart) in ${r.applySeconds.toFixed(1)} s ` +
      `(${Math.round(r.rows / r.applySeconds)} rows/s), rolled back in ${r.rollbackSeconds.toFixed(1)} s ` +
      `(${Math.round(r.rows / r.rollbackSeconds)} rows/s)`,
  );
}, 300_000);

/**
 * `npm run bench:batch`: the batch must-show at 100,000 rows (the system
 * test runs it at 20,000): upload, kill -9 a third of the way, restart,
 * finish, check every balance and the ledger, roll back, check again.
 * Prints the time and rows per second of each half, and fails (exit 1) if
 * a check fails, never on timing.
 */
import { batchScenario } from '../system/batch-scenario.js';

const ROWS = Number(process.env.BATCH_ROWS ?? 100_000);
const started = Date.now();
let last = 0;
const r = await batchScenario(ROWS, 1_000, (line) => {
  if (Date.now() - last > 2_000) {
    last = Date.now();
    console.log(`  ${line}`);
  }
});
const same = JSON.stringify(r.balancesAfterApply) === JSON.stringify(r.expected);
const zero = Object.values(r.balancesAfterRollback).every((b) => b === 0);
console.log(`batch of ${ROWS.toLocaleString('en-US')} rows over 1,000 members (SQLite, WAL, synchronous=FULL)`);
console.log(`  killed at ${r.doneAtKill.toLocaleString('en-US')} rows done; resumed after a restart`);
console.log(
  `  applied in ${r.applySeconds.toFixed(1)} s: ${Math.round(ROWS / r.applySeconds)} rows/s (kill and restart included)`,
);
console.log(`  rolled back in ${r.rollbackSeconds.toFixed(1)} s: ${Math.round(ROWS / r.rollbackSeconds)} rows/s`);
console.log(
  `  every row once: ${same}; ledger after apply: ${r.verifiedAfterApply}; balances back to 0: ${zero}; ledger after rollback: ${r.verifiedAfterRollback}`,
);
console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (!same || !zero || !r.verifiedAfterApply || !r.verifiedAfterRollback) process.exit(1);

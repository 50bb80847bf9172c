/**
 * The batch must-show, runnable at any size: the real server on SQLite;
 * a CSV of `rows` grants spread over `members` members uploaded; progress
 * watched rising; the server killed (SIGKILL) a third of the way; restarted,
 * the batch resumes and finishes; every member's balance is exactly the sum
 * of their rows (each row landed once) and the ledger verifies; then a
 * rollback brings every balance back to zero and the ledger still verifies.
 * The system test runs it at 20,000 rows; `npm run bench:batch` at 100,000.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { call, login, urlFetcher, type Fetcher } from '../support/http.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';

export interface BatchScenarioResult {
  rows: number;
  /** `done` values seen while polling before the kill: rising. */
  progress: number[];
  doneAtKill: number;
  applySeconds: number;
  rollbackSeconds: number;
  expected: Record<string, number>;
  balancesAfterApply: Record<string, number>;
  balancesAfterRollback: Record<string, number>;
  verifiedAfterApply: boolean;
  verifiedAfterRollback: boolean;
  batch: { status: string; done: number; failed: number; reversed: number };
}

const admin = (f: Fetcher, method: string, path: string) => call(f, method, path, { token: TEST_ADMIN_TOKEN });

export async function batchScenario(
  rows: number,
  members: number,
  log = (_: string) => undefined,
): Promise<BatchScenarioResult> {
  const dbUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-batch-')), 'jifen.db')}`;
  let server: ServerProcess = await startServer(dbUrl);
  try {
    let f = urlFetcher(server.url);
    const ids = await Promise.all(
      Array.from({ length: members }, (_, i) => login(f, `batch-m-${i}`).then((m) => m.memberId)),
    );
    const expected: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
    const lines = ['member,points,reason'];
    for (let i = 0; i < rows; i++) {
      const id = ids[i % members]!;
      const points = 1 + (i % 9);
      expected[id]! += points;
      lines.push(`${id},${points},批量导入第${i + 1}行`);
    }
    const started = Date.now();
    const upload = await fetch(`${server.url}/api/admin/batches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'text/csv',
        'idempotency-key': 'scenario',
      },
      body: lines.join('\n'),
    });
    if (upload.status !== 202) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
    const { id } = (await upload.json()) as { id: string };
    const state = async () => (await admin(f, 'GET', `/api/admin/batches/${id}`)).body as BatchScenarioResult['batch'];

    const progress: number[] = [];
    for (;;) {
      const b = await state();
      progress.push(b.done);
      log(`applying: ${b.done}/${rows}`);
      if (b.done >= rows / 3) break;
      await sleep(200);
    }
    await server.kill();
    const doneAtKill = progress.at(-1)!;
    log(`killed at ${doneAtKill}; restarting`);
    server = await startServer(dbUrl);
    f = urlFetcher(server.url);
    while ((await state()).status !== 'done') await sleep(300);
    const applySeconds = (Date.now() - started) / 1000;
    const balances = async () =>
      Object.fromEntries(
        await Promise.all(
          ids.map(async (m) => [m, (await admin(f, 'GET', `/api/admin/members/${m}`)).body.balance as number] as const),
        ),
      );
    const verified = async () => (await admin(f, 'GET', '/api/admin/ledger/verify')).body.ok as boolean;
    const balancesAfterApply = await balances();
    const verifiedAfterApply = await verified();

    const rollbackStarted = Date.now();
    await admin(f, 'POST', `/api/admin/batches/${id}/rollback`);
    while ((await state()).status !== 'rolled_back') await sleep(300);
    const rollbackSeconds = (Date.now() - rollbackStarted) / 1000;
    return {
      rows,
      progress,
      doneAtKill,
      applySeconds,
      rollbackSeconds,
      expected,
      balancesAfterApply,
      balancesAfterRollback: await balances(),
      verifiedAfterApply,
      verifiedAfterRollback: await verified(),
      batch: await state(),
    };
  } finally {
    await server.stop();
  }
}

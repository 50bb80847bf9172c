/**
 * WAL checkpoints off the hot path. By default the connection that commits
 * copies the WAL back into the database file whenever the WAL passes 1,000
 * pages: a COMMIT that happens to cross that line stalls every transaction
 * of its group behind the copy and its fsync. Here the writing connection
 * never checkpoints (wal_autocheckpoint=0); a worker thread with its own
 * connection runs PASSIVE checkpoints (they never block a writer) a few
 * times a second, and journal_size_limit trims the WAL file afterwards.
 */
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_EVERY_MS = 250;
/** The WAL file is truncated back to this after a checkpoint reset it. */
export const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

// Plain CommonJS so the worker needs no file of its own next to a bundle.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { /* busy or closing: the next turn tries again */ }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export class Checkpointer {
  private constructor(private readonly worker: Worker) {}

  /** Moves checkpoints of the database at `path` (written by `db`) to a worker thread. */
  static start(db: Database.Database, path: string): Checkpointer {
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    // Where this process loads better-sqlite3 from. An ES module knows its URL; a CommonJS bundle (the
    // functions: esbuild leaves import.meta empty there) has `require`.
    const here = (import.meta as { url?: string }).url;
    const driver = here ? createRequire(here).resolve('better-sqlite3') : require.resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs: CHECKPOINT_EVERY_MS } });
    worker.unref(); // never what keeps a process alive
    return new Checkpointer(worker);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
    await this.worker.terminate();
  }
}

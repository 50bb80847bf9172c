/** The real local server as a child process (what `npm start` runs), for system tests and benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildServer, SERVER_BUNDLE, SERVER_NODE_FLAGS } from '../../cloudfunctions/local/build-server.js';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, no shutdown code runs. */
  kill(): Promise<void>;
}

/**
 * What `npm start` runs: the server bundle (dist/server/main.mjs), built by
 * the test run's global setup and by the bench before they start servers.
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_BUNDLE)) await buildServer();
  // The profile script (tests/bench/prof-notify.ts) passes --cpu-prof this way: Node refuses it in NODE_OPTIONS.
  const nodeArgs = (process.env.JIFEN_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, SERVER_BUNDLE], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: databaseUrl,
      JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      JIFEN_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      // Load and crash tests hammer one address; the rate-limit tests turn limits back on.
      JIFEN_RATE_LIMIT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`server did not start:\n${out}`));
    }, 30_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return { url, proc, output: () => out, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

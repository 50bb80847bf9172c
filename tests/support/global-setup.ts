/**
 * Once per `npm test`: start PostgreSQL if this machine has it. Without it the
 * PostgreSQL suites are skipped with the reason in their name; .ci/run
 * installs it, so in CI they always run.
 */
import type { GlobalSetupContext } from 'vitest/node';
import { buildServer } from '../../cloudfunctions/local/build-server.js';
import { startPostgres, type PgServer } from './postgres.js';

let server: PgServer | undefined;

export default async function setup({ provide }: GlobalSetupContext): Promise<() => void> {
  // The server processes the tests start run what `npm start` runs: the bundle, built afresh from the source.
  await buildServer();
  try {
    server = await startPostgres();
    provide('pgUrl', server.url);
    provide('pgSkipReason', '');
  } catch (e) {
    provide('pgUrl', '');
    provide('pgSkipReason', (e as Error).message.split('\n')[0] ?? 'unknown');
  }
  return () => server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    pgSkipReason: string;
  }
}

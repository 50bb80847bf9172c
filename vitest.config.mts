import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every store the tests open (and every server process they start) checks its lock order (store/lock-order.ts).
    env: { JIFEN_CHECK_LOCK_ORDER: 'on' },
    reporters: ['default', ['json', { outputFile: 'tests/artifacts/results.json' }]],
  },
});

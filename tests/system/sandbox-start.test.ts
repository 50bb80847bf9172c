/**
 * `npm start` in sandbox: loopback only (anyone on a network could otherwise
 * be any member), a supplied admin token is never printed, and the data
 * directory and its secrets are the owner's alone.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, TEST_ADMIN_TOKEN } from '../support/server-process.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'jifen-start-')), 'data');
const sandboxEnv = { WECHAT_APPID: '', JIFEN_ADMIN_TOKEN: '', JIFEN_SECRET: '' };

describe('sandbox start', () => {
  it('HOST=0.0.0.0 without WECHAT_APPID exits with a message saying why', async () => {
    const dir = fresh();
    const started = startServer(`sqlite:${join(dir, 'jifen.db')}`, { ...sandboxEnv, HOST: '0.0.0.0' });
    await expect(started).rejects.toThrow(/exited with 1[\s\S]*loopback only[\s\S]*HOST is 0\.0\.0\.0/);
  });

  it('prints a generated admin token once, never a supplied one; the data directory is 0700, the secrets 0600', async () => {
    const dir = fresh();
    const generated = await startServer(`sqlite:${join(dir, 'jifen.db')}`, sandboxEnv);
    await generated.stop();
    const kept = JSON.parse(readFileSync(join(dir, 'sandbox-secrets.json'), 'utf8')) as { adminToken: string };
    expect(generated.output()).toContain(`HQ admin token: ${kept.adminToken}`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'sandbox-secrets.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'sandbox-payment-keys.json')).mode & 0o777).toBe(0o600);

    const supplied = await startServer(`sqlite:${join(dir, 'jifen.db')}`, {
      ...sandboxEnv,
      JIFEN_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    });
    await supplied.stop();
    expect(supplied.output()).toContain('HQ admin token: the JIFEN_ADMIN_TOKEN you set');
    expect(supplied.output()).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('refuses to start while the secrets file is readable by others, saying how to fix it', async () => {
    const dir = fresh();
    const first = await startServer(`sqlite:${join(dir, 'jifen.db')}`, sandboxEnv);
    await first.stop();
    chmodSync(join(dir, 'sandbox-secrets.json'), 0o644);
    const again = startServer(`sqlite:${join(dir, 'jifen.db')}`, sandboxEnv);
    await expect(again).rejects.toThrow(/can be read by other users \(mode 644\)[\s\S]*chmod 600/);
  });
});

/**
 * Sandbox only: what the server would otherwise be given, generated on first
 * start and kept (mode 0600, in a 0700 data directory) so restarts keep
 * sessions valid and the simulator (npm run simulate) signs with the same
 * keys. A kept file others can read is refused at every start: it holds the
 * admin token and private keys.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, type SandboxProviders, type SandboxSecrets } from '../core/config.js';
import type { SandboxPaymentKeys } from '../core/payments/payment-config.js';

export const SANDBOX_WECHAT_APPID = 'wxsandbox0000000';

export function dataDirOf(databaseUrl: string): string {
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  return path && path !== ':memory:' ? dirname(path) : 'data';
}

/** The data directory, made (or narrowed to) 0700: it holds the database and the sandbox's secrets. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function kept<T>(file: string, make: () => T): T {
  privateDir(dirname(file));
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `${file} can be read by other users (mode ${mode.toString(8)}): it holds secrets. Run: chmod 600 ${file}`,
      );
    }
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  }
  const value = make();
  writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
  return value;
}

function rsaPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function sandboxSecrets(dataDir: string): SandboxSecrets {
  return kept(join(dataDir, 'sandbox-secrets.json'), () => ({
    adminToken: `sandbox-admin-${randomBytes(18).toString('base64url')}`,
    secret: randomBytes(32).toString('base64url'),
  }));
}

export function sandboxPaymentKeys(dataDir: string): SandboxPaymentKeys {
  return kept(join(dataDir, 'sandbox-payment-keys.json'), () => {
    const wechat = rsaPair();
    const alipay = rsaPair();
    return {
      wechatpay: {
        mchId: '1900000109',
        appId: SANDBOX_WECHAT_APPID,
        apiV3Key: randomBytes(24).toString('base64url'), // 32 characters
        publicKeyId: `PUB_KEY_ID_SANDBOX${randomBytes(6).toString('hex').toUpperCase()}`,
        ...wechat,
      },
      alipay: {
        appId: '2021000000000000',
        appPrivateKeyPem: rsaPair().privateKeyPem,
        alipayPublicKeyPem: alipay.publicKeyPem,
        alipayPrivateKeyPem: alipay.privateKeyPem,
      },
    };
  });
}

export function sandboxProviders(dataDir: string): SandboxProviders {
  return { secrets: () => sandboxSecrets(dataDir), paymentKeys: () => sandboxPaymentKeys(dataDir) };
}

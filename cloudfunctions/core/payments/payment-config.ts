/**
 * Payment platform configuration from the environment, validated once at
 * start. In sandbox mode the generated sandbox keys stand in for whichever
 * platform has no real keys configured.
 */
import type { KeyObject } from 'node:crypto';
import {
  certificateKeys,
  KeyError,
  pemOrFile,
  privateKeyPem as privateKeyPemOf,
  publicKey,
  publicKeyPem,
} from './keys.js';

export interface WechatPayConfig {
  mchId: string;
  /** Our mini-program: its payers' points go straight to their member account. */
  appId: string;
  apiV3Key: Buffer;
  /** Wechatpay-Serial → verifying key: the public key id (PUB_KEY_ID_...) and platform certificate serials. */
  keys: Map<string, KeyObject>;
  /** WECHATPAY_API_BASE: where outbound calls (bills, order queries) go. */
  apiBase: string;
  /**
   * The merchant's API key and its certificate's serial number, which sign
   * outbound calls; null when not configured (reconciliation of WeChat Pay is
   * then off, and says so).
   */
  merchant: { serialNo: string; privateKeyPem: string } | null;
  /** Made from the generated sandbox keys: there is no platform to call. */
  sandbox: boolean;
}

export interface AlipayConfig {
  appId: string;
  privateKeyPem: string;
  alipayPublicKeyPem: string;
  /** ALIPAY_GATEWAY: where outbound calls (bills, order queries) go. */
  gateway: string;
  /** Made from the generated sandbox keys: there is no platform to call. */
  sandbox: boolean;
}

const WECHATPAY_API_BASE = 'https://api.mch.weixin.qq.com';
const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';

function merchantOf(env: Env): WechatPayConfig['merchant'] {
  const serialNo = set(env, 'WECHATPAY_MCH_SERIAL_NO');
  const key = set(env, 'WECHATPAY_MCH_PRIVATE_KEY');
  if (!serialNo && !key) return null;
  if (!serialNo || !key) {
    throw new KeyError('WECHATPAY_MCH_SERIAL_NO and WECHATPAY_MCH_PRIVATE_KEY go together (the merchant API key).');
  }
  return { serialNo, privateKeyPem: privateKeyPemOf(key, 'WECHATPAY_MCH_PRIVATE_KEY') };
}

/** Generated once per sandbox data directory; the private halves sign simulated notifications. */
export interface SandboxPaymentKeys {
  wechatpay: {
    mchId: string;
    appId: string;
    apiV3Key: string;
    publicKeyId: string;
    publicKeyPem: string;
    privateKeyPem: string;
  };
  alipay: { appId: string; appPrivateKeyPem: string; alipayPublicKeyPem: string; alipayPrivateKeyPem: string };
}

type Env = Record<string, string | undefined>;
const set = (env: Env, name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);

function required(env: Env, name: string, because: string): string {
  const value = set(env, name);
  if (!value) throw new KeyError(`${name} is required when ${because} is set.`);
  return value;
}

export function wechatPayConfig(
  env: Env,
  appId: string | null,
  sandbox?: () => SandboxPaymentKeys,
): WechatPayConfig | null {
  const mchId = set(env, 'WECHATPAY_MCHID');
  if (!mchId) {
    if (!sandbox) return null;
    const s = sandbox().wechatpay;
    return {
      mchId: s.mchId,
      appId: appId ?? s.appId,
      apiV3Key: Buffer.from(s.apiV3Key),
      keys: new Map([[s.publicKeyId, publicKey(s.publicKeyPem, 'sandbox key')]]),
      apiBase: set(env, 'WECHATPAY_API_BASE') ?? WECHATPAY_API_BASE,
      merchant: merchantOf(env),
      sandbox: true,
    };
  }
  const apiV3Key = required(env, 'WECHATPAY_APIV3_KEY', 'WECHATPAY_MCHID');
  if (Buffer.byteLength(apiV3Key) !== 32) throw new KeyError('WECHATPAY_APIV3_KEY must be exactly 32 characters.');
  const keys = new Map<string, KeyObject>();
  const keyId = set(env, 'WECHATPAY_PUBLIC_KEY_ID');
  const keyPem = set(env, 'WECHATPAY_PUBLIC_KEY');
  if (keyId || keyPem) {
    if (!keyId?.startsWith('PUB_KEY_ID_')) throw new KeyError('WECHATPAY_PUBLIC_KEY_ID must look like PUB_KEY_ID_...');
    keys.set(
      keyId,
      publicKey(
        pemOrFile(required(env, 'WECHATPAY_PUBLIC_KEY', 'WECHATPAY_PUBLIC_KEY_ID'), 'WECHATPAY_PUBLIC_KEY'),
        'WECHATPAY_PUBLIC_KEY',
      ),
    );
  }
  const certs = set(env, 'WECHATPAY_PLATFORM_CERTS');
  if (certs) {
    for (const [serial, key] of certificateKeys(
      pemOrFile(certs, 'WECHATPAY_PLATFORM_CERTS'),
      'WECHATPAY_PLATFORM_CERTS',
    )) {
      keys.set(serial, key);
    }
  }
  if (keys.size === 0) {
    throw new KeyError(
      'WECHATPAY_MCHID needs WECHATPAY_PUBLIC_KEY_ID + WECHATPAY_PUBLIC_KEY or WECHATPAY_PLATFORM_CERTS.',
    );
  }
  // In sandbox (no WECHAT_APPID) real payment keys may be tried against the sandbox mini-program.
  const ourAppId = appId ?? sandbox?.().wechatpay.appId;
  if (!ourAppId) throw new KeyError('WECHATPAY_MCHID needs WECHAT_APPID (the mini-program whose payers earn points).');
  return {
    mchId,
    appId: ourAppId,
    apiV3Key: Buffer.from(apiV3Key),
    keys,
    apiBase: set(env, 'WECHATPAY_API_BASE') ?? WECHATPAY_API_BASE,
    merchant: merchantOf(env),
    sandbox: false,
  };
}

export function alipayConfig(env: Env, sandbox?: () => SandboxPaymentKeys): AlipayConfig | null {
  const appId = set(env, 'ALIPAY_APP_ID');
  if (!appId) {
    if (!sandbox) return null;
    const s = sandbox().alipay;
    return {
      appId: s.appId,
      privateKeyPem: s.appPrivateKeyPem,
      alipayPublicKeyPem: s.alipayPublicKeyPem,
      gateway: set(env, 'ALIPAY_GATEWAY') ?? ALIPAY_GATEWAY,
      sandbox: true,
    };
  }
  // PEM, a PEM file, or the bare base64 the Alipay console shows.
  const privateKeyPem = privateKeyPemOf(required(env, 'ALIPAY_PRIVATE_KEY', 'ALIPAY_APP_ID'), 'ALIPAY_PRIVATE_KEY');
  const alipayPublicKeyPem = publicKeyPem(required(env, 'ALIPAY_PUBLIC_KEY', 'ALIPAY_APP_ID'), 'ALIPAY_PUBLIC_KEY');
  return {
    appId,
    privateKeyPem,
    alipayPublicKeyPem,
    gateway: set(env, 'ALIPAY_GATEWAY') ?? ALIPAY_GATEWAY,
    sandbox: false,
  };
}

/** out_trade_no prefix → store id, from JIFEN_ORDER_STORE_PREFIXES ({"S001-":"S001"}); longest prefix wins. */
export function orderStorePrefixes(env: Env): Array<[string, string]> {
  const raw = set(env, 'JIFEN_ORDER_STORE_PREFIXES');
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new KeyError('JIFEN_ORDER_STORE_PREFIXES must be JSON such as {"S001-":"S001"}.');
  }
  if (!parsed || typeof parsed !== 'object' || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new KeyError('JIFEN_ORDER_STORE_PREFIXES must map order prefixes to store ids.');
  }
  return Object.entries(parsed as Record<string, string>).sort((a, b) => b[0].length - a[0].length);
}

/**
 * Outbound WeChat Pay API v3 calls for reconciliation: the trade bill and an
 * order query. wechatpay-node-v3 signs each request (its getSignature and
 * getAuthorization) and verifies each answer (verifySign) against the keys
 * we are configured with; the library's own URLs are fixed to the
 * production host, so requests go to WECHATPAY_API_BASE here, and its
 * certificate download is never used. The answer's timestamp window is
 * checked here, as for notifications (verify.ts).
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import type WxPay from 'wechatpay-node-v3';
import type { WechatPayConfig } from '../payment-config.js';
import { PLATFORM_TIMEOUT_MS, PlatformError } from '../platform-error.js';
import { MAX_SKEW_SECONDS } from './verify.js';

type Merchant = NonNullable<WechatPayConfig['merchant']>;

/** The library as we use it: a request signer and an answer verifier over the keys we trust. */
async function signer(config: WechatPayConfig, merchant: Merchant): Promise<WxPay> {
  const { default: Pay } = await import('wechatpay-node-v3');
  // The library keeps trusted platform keys in a static map it would otherwise fill by downloading.
  class Trusting extends Pay {
    static trust(keys: ReadonlyMap<string, KeyObject>): void {
      for (const [serial, key] of keys)
        this.certificates[serial] = key.export({ type: 'spki', format: 'pem' }) as string;
    }
  }
  Trusting.trust(config.keys);
  return new Trusting({
    appid: config.appId,
    mchid: config.mchId,
    serial_no: merchant.serialNo,
    // Only read to derive the serial number, which is given: the merchant certificate is not needed.
    publicKey: Buffer.from('unused'),
    privateKey: Buffer.from(merchant.privateKeyPem),
    key: config.apiV3Key.toString(),
  });
}

export class WechatPayApi {
  private pay: Promise<WxPay> | null = null;

  constructor(
    private readonly config: WechatPayConfig,
    private readonly merchant: Merchant,
    private readonly clock: () => number,
  ) {}

  /** The day's trade bill (bill_type ALL) as text, its SHA-1 checked against the one the signed answer gave. */
  async tradeBill(date: string): Promise<string> {
    const answer = (await this.signedGet(`/v3/bill/tradebill?bill_date=${date}&bill_type=ALL`)) as {
      download_url?: string;
      hash_type?: string;
      hash_value?: string;
    } | null;
    if (!answer?.download_url) throw new PlatformError('wechatpay', `no bill for ${date} yet`);
    // Only the path is taken from the answer: the download goes to the configured host, nowhere else.
    const url = new URL(answer.download_url);
    const res = await this.send(`${url.pathname}${url.search}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new PlatformError('wechatpay', `the bill download answered ${res.status}`);
    const hash = createHash((answer.hash_type ?? 'SHA1').toLowerCase())
      .update(bytes)
      .digest('hex');
    if (answer.hash_value && hash !== answer.hash_value.toLowerCase()) {
      throw new PlatformError('wechatpay', 'the downloaded bill does not match its hash');
    }
    return bytes.toString('utf8');
  }

  /** The order as WeChat Pay has it (the notification's resource shape), or null when it does not exist. */
  async transaction(transactionId: string): Promise<Record<string, unknown> | null> {
    const path = `/v3/pay/transactions/id/${encodeURIComponent(transactionId)}?mchid=${encodeURIComponent(this.config.mchId)}`;
    return (await this.signedGet(path)) as Record<string, unknown> | null;
  }

  /** A GET whose answer must carry a valid signature; null for 404. */
  private async signedGet(pathWithQuery: string): Promise<unknown> {
    const res = await this.send(pathWithQuery);
    const text = await res.text();
    if (res.status === 404) return null;
    if (!res.ok)
      throw new PlatformError(
        'wechatpay',
        `${pathWithQuery.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`,
      );
    await this.verify(res.headers, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PlatformError('wechatpay', 'the answer is not JSON');
    }
  }

  private async send(pathWithQuery: string): Promise<Response> {
    const pay = await (this.pay ??= signer(this.config, this.merchant));
    const nonce = randomBytes(16).toString('hex');
    const timestamp = String(Math.floor(this.clock() / 1000));
    const signature = pay.getSignature('GET', nonce, timestamp, pathWithQuery, '');
    try {
      return await fetch(`${this.config.apiBase.replace(/\/$/, '')}${pathWithQuery}`, {
        headers: {
          authorization: pay.getAuthorization(nonce, timestamp, signature),
          accept: 'application/json',
          'user-agent': 'jifen-reconciliation',
        },
        signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
      });
    } catch (e) {
      throw new PlatformError('wechatpay', `unreachable: ${(e as Error).message}`);
    }
  }

  private async verify(headers: Headers, body: string): Promise<void> {
    const [timestamp, nonce, signature, serial] = ['timestamp', 'nonce', 'signature', 'serial'].map(
      (h) => headers.get(`wechatpay-${h}`) ?? '',
    ) as [string, string, string, string];
    if (!timestamp || !nonce || !signature || !serial) throw new PlatformError('wechatpay', 'the answer is not signed');
    if (Math.abs(this.clock() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
      throw new PlatformError('wechatpay', 'the answer is more than 5 minutes old');
    }
    // An unknown serial would make the library download certificates; refuse it first.
    if (!this.config.keys.has(serial))
      throw new PlatformError('wechatpay', `the answer is signed by unknown key ${serial}`);
    const pay = await (this.pay ??= signer(this.config, this.merchant));
    const ok = await pay.verifySign({ timestamp, nonce, body, serial, signature, apiSecret: '' }).catch(() => false);
    if (!ok) throw new PlatformError('wechatpay', 'the answer does not carry a valid signature');
  }
}

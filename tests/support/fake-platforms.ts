/**
 * WeChat Pay's and Alipay's servers as reconciliation sees them, on
 * 127.0.0.1, speaking the real wire formats: WeChat Pay checks the
 * merchant's request signature (WECHATPAY2-SHA256-RSA2048) and signs its
 * answers with the platform key; Alipay checks the app's RSA2 request
 * signature and signs the `*_response` node of its answers. Bills are
 * served as the platforms serve them (bill-files.ts).
 */
import { createHash, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWechatBody, type WechatSigner } from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { rsaPair, type PaymentKeys } from './payment-keys.js';

export interface FakePlatforms {
  url: string;
  /** WeChat Pay: bill text by date, orders by transaction_id. */
  wechat: { bills: Map<string, string>; orders: Map<string, Record<string, unknown>> };
  /** Alipay: bill zip by date, orders (alipay.trade.query answers) by trade_no. */
  alipay: { bills: Map<string, Uint8Array>; orders: Map<string, Record<string, string>> };
  /** Every request, and whether its signature checked. */
  requests: Array<{ platform: 'wechatpay' | 'alipay'; what: string; signed: boolean }>;
  /** The next n WeChat Pay answers are signed by a key the server does not trust. */
  forgeNext(n: number): void;
  close(): Promise<void>;
}

export interface FakePlatformKeys {
  /** Verifies the merchant's requests. */
  merchantPublicKeyPem: string;
  /** Signs WeChat Pay's answers (the key the server is configured to trust). */
  wechat: WechatSigner;
  /** Signs answers forged by forgeNext. */
  stranger: WechatSigner;
  /** Verifies the app's Alipay requests. */
  alipayAppPublicKeyPem: string;
  /** Signs Alipay's answers. */
  alipayPrivateKeyPem: string;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakePlatforms(keys: FakePlatformKeys): Promise<FakePlatforms> {
  const wechat = { bills: new Map<string, string>(), orders: new Map<string, Record<string, unknown>>() };
  const alipay = { bills: new Map<string, Uint8Array>(), orders: new Map<string, Record<string, string>>() };
  const requests: FakePlatforms['requests'] = [];
  const downloads = new Map<string, string | Uint8Array>();
  let forged = 0;
  let base = '';

  const merchantSigned = (req: IncomingMessage, path: string): boolean => {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const f = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const message = `${req.method}\n${path}\n${f.timestamp}\n${f.nonce_str}\n\n`;
    return verify(
      'RSA-SHA256',
      Buffer.from(message),
      keys.merchantPublicKeyPem,
      Buffer.from(f.signature ?? '', 'base64'),
    );
  };

  const wechatAnswer = (res: ServerResponse, status: number, payload: unknown) => {
    const text = JSON.stringify(payload);
    const signer = forged > 0 ? (forged--, keys.stranger) : keys.wechat;
    res.writeHead(status, signWechatBody(text, signer)).end(text);
  };

  const alipayAnswer = (res: ServerResponse, method: string, node: Record<string, unknown>) => {
    const key = `${method.replaceAll('.', '_')}_response`;
    const nodeText = JSON.stringify(node);
    const signature = sign('RSA-SHA256', Buffer.from(nodeText), keys.alipayPrivateKeyPem).toString('base64');
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    res.end(`{"${key}":${nodeText},"sign":"${signature}"}`);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const path = `${url.pathname}${url.search}`;
      if (url.pathname.startsWith('/v3/')) {
        const signed = merchantSigned(req, path);
        requests.push({ platform: 'wechatpay', what: url.pathname, signed });
        if (!signed) return wechatAnswer(res, 401, { code: 'SIGN_ERROR', message: '签名错误' });
        if (url.pathname === '/v3/bill/tradebill') {
          const bill = wechat.bills.get(url.searchParams.get('bill_date') ?? '');
          if (bill === undefined) return wechatAnswer(res, 400, { code: 'NO_STATEMENT_EXIST', message: '账单不存在' });
          const token = randomBytes(8).toString('hex');
          downloads.set(token, bill);
          return wechatAnswer(res, 200, {
            hash_type: 'SHA1',
            hash_value: createHash('sha1').update(bill).digest('hex'),
            download_url: `https://api.mch.weixin.qq.com/v3/billdownload/file?token=${token}`,
          });
        }
        if (url.pathname === '/v3/billdownload/file') {
          const file = downloads.get(url.searchParams.get('token') ?? '');
          if (file === undefined) return wechatAnswer(res, 404, { code: 'NOT_FOUND', message: 'no such file' });
          // The bill file itself is not signed; its hash was, in the answer that named it.
          return res.writeHead(200, { 'content-type': 'text/plain;charset=utf-8' }).end(file);
        }
        const order = /^\/v3\/pay\/transactions\/id\/([^/]+)$/.exec(url.pathname);
        if (order) {
          const found = wechat.orders.get(decodeURIComponent(order[1]!));
          if (!found) return wechatAnswer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
          return wechatAnswer(res, 200, found);
        }
        return wechatAnswer(res, 404, { code: 'NOT_FOUND', message: url.pathname });
      }
      if (url.pathname === '/gateway.do') {
        const params = {
          ...Object.fromEntries(url.searchParams),
          ...Object.fromEntries(new URLSearchParams(await body(req))),
        };
        const content = Object.keys(params)
          .filter((k) => k !== 'sign')
          .sort()
          .map((k) => `${k}=${params[k]}`)
          .join('&');
        const signed = verify(
          'RSA-SHA256',
          Buffer.from(content),
          keys.alipayAppPublicKeyPem,
          Buffer.from(params.sign ?? '', 'base64'),
        );
        const method = params.method ?? '';
        requests.push({ platform: 'alipay', what: method, signed });
        if (!signed)
          return alipayAnswer(res, method, {
            code: '40002',
            msg: 'Invalid Arguments',
            sub_code: 'isv.invalid-signature',
          });
        const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
        if (method === 'alipay.data.dataservice.bill.downloadurl.query') {
          const zip = alipay.bills.get(biz.bill_date ?? '');
          if (!zip)
            return alipayAnswer(res, method, {
              code: '40004',
              msg: 'Business Failed',
              sub_code: 'isp.bill_not_exist',
              sub_msg: '账单不存在',
            });
          const token = randomBytes(8).toString('hex');
          downloads.set(token, zip);
          return alipayAnswer(res, method, {
            code: '10000',
            msg: 'Success',
            bill_download_url: `${base}/alipay/bills/${token}`,
          });
        }
        if (method === 'alipay.trade.query') {
          const found = alipay.orders.get(biz.trade_no ?? '');
          if (!found)
            return alipayAnswer(res, method, {
              code: '40004',
              msg: 'Business Failed',
              sub_code: 'ACQ.TRADE_NOT_EXIST',
              sub_msg: '交易不存在',
            });
          return alipayAnswer(res, method, { code: '10000', msg: 'Success', ...found });
        }
        return alipayAnswer(res, method, { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method' });
      }
      const bill = /^\/alipay\/bills\/(\w+)$/.exec(url.pathname);
      const file = bill && downloads.get(bill[1]!);
      if (file) return res.writeHead(200, { 'content-type': 'application/oct-stream' }).end(file);
      res.writeHead(404).end();
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    wechat,
    alipay,
    requests,
    forgeNext: (n) => void (forged = n),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The fake platforms for a server with these payment keys, and the server's
 * env to reach them: the payment keys with sandbox logins (no WECHAT_APPID),
 * a merchant API key of its own for outbound WeChat Pay calls, and both base
 * URLs pointed at the fakes.
 */
export async function reconcilingPlatforms(
  keys: PaymentKeys,
): Promise<{ fake: FakePlatforms; env: Record<string, string> }> {
  const merchant = rsaPair();
  const fake = await startFakePlatforms({
    merchantPublicKeyPem: merchant.publicKeyPem,
    wechat: keys.wechat,
    stranger: keys.stranger,
    alipayAppPublicKeyPem: createPublicKey(keys.env.ALIPAY_PRIVATE_KEY!)
      .export({ type: 'spki', format: 'pem' })
      .toString(),
    alipayPrivateKeyPem: keys.alipayPrivateKeyPem,
  });
  const { WECHAT_APPID: _a, WECHAT_SECRET: _s, ...payments } = keys.env;
  return {
    fake,
    env: {
      ...payments,
      WECHATPAY_API_BASE: fake.url,
      WECHATPAY_MCH_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
      WECHATPAY_MCH_PRIVATE_KEY: merchant.privateKeyPem,
      ALIPAY_GATEWAY: `${fake.url}/gateway.do`,
    },
  };
}

/**
 * `npm run simulate -- <pay|refund|close> ...`: signs real notifications with
 * the sandbox keys (data/sandbox-payment-keys.json) and posts them to the
 * running local server, so the whole payment path can be seen working.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { yuanToFen } from '../core/domain/money.js';
import { dataDirOf, sandboxPaymentKeys } from './sandbox-secrets.js';
import { alipayForm, alipayTradeParams } from './simulator/alipay-notification.js';
import { refundResource, transactionResource, wechatNotification } from './simulator/wechatpay-notification.js';

const USAGE = `usage:
  npm run simulate -- pay --openid <openid> --amount 88.00 [--store S001] [--appid wx...] [--order <out_trade_no>]
  npm run simulate -- pay --channel alipay --buyer 2088... --amount 12.34 [--store S001] [--order <out_trade_no>]
  npm run simulate -- refund --transaction-id <id> --amount 10.00 --total 88.00
  npm run simulate -- refund --channel alipay --trade-no <no> --refunded 5.00 [--out-biz-no <no>]
  npm run simulate -- close --trade-no <no> --refunded 12.34          (Alipay TRADE_CLOSED, a full refund)
options: --url http://127.0.0.1:3000 (default: PORT or 3000)`;

const { positionals, values: o } = parseArgs({
  allowPositionals: true,
  options: Object.fromEntries(
    [
      'channel',
      'openid',
      'buyer',
      'amount',
      'total',
      'refunded',
      'store',
      'appid',
      'transaction-id',
      'trade-no',
      'refund-id',
      'out-biz-no',
      'order',
      'url',
    ].map((k) => [k, { type: 'string' as const }]),
  ),
});

async function main(): Promise<void> {
  const command = positionals[0];
  const url = o.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const keys = sandboxPaymentKeys(dataDirOf(process.env.DATABASE_URL ?? 'sqlite:data/jifen.db'));
  const channel = o.channel ?? (command === 'close' ? 'alipay' : 'wechatpay');
  const need = (name: keyof typeof o) => o[name] ?? fail(`--${name} is required`);

  if (channel === 'wechatpay') {
    const w = keys.wechatpay;
    const signer = { privateKeyPem: w.privateKeyPem, serial: w.publicKeyId, apiV3Key: w.apiV3Key };
    if (command === 'pay') {
      const resource = transactionResource({
        mchId: w.mchId,
        appId: o.appid ?? w.appId,
        openid: need('openid'),
        totalFen: yuanToFen(need('amount')),
        attach: o.store ? JSON.stringify({ store: o.store }) : '',
        transactionId: o['transaction-id'],
        outTradeNo: o.order,
      });
      await post(url, '/notify/wechatpay', wechatNotification('TRANSACTION.SUCCESS', resource, signer));
      console.log(`transaction_id ${String(resource.transaction_id)} (refund with --transaction-id)`);
    } else if (command === 'refund') {
      const resource = refundResource({
        mchId: w.mchId,
        transactionId: need('transaction-id'),
        refundFen: yuanToFen(need('amount')),
        totalFen: yuanToFen(o.total ?? need('amount')),
        refundId: o['refund-id'],
      });
      await post(url, '/notify/wechatpay', wechatNotification('REFUND.SUCCESS', resource, signer));
      console.log(`refund_id ${String(resource.refund_id)}`);
    } else fail(USAGE);
    return;
  }

  const a = keys.alipay;
  const send = async (params: Record<string, string>) => {
    await post(url, '/notify/alipay', {
      body: alipayForm(params, a.alipayPrivateKeyPem),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    console.log(`trade_no ${params.trade_no}`);
  };
  if (command === 'pay') {
    await send(
      alipayTradeParams({
        appId: a.appId,
        buyerId: need('buyer'),
        totalAmount: need('amount'),
        tradeNo: o['trade-no'],
        outTradeNo: o.order,
        passback: o.store ? JSON.stringify({ store: o.store }) : undefined,
      }),
    );
  } else if (command === 'refund' || command === 'close') {
    const refunded = need('refunded');
    await send(
      alipayTradeParams({
        appId: a.appId,
        tradeNo: need('trade-no'),
        buyerId: o.buyer ?? '2088000000000001',
        totalAmount: o.total ?? refunded,
        status: command === 'close' ? 'TRADE_CLOSED' : 'TRADE_SUCCESS',
        extra: {
          refund_fee: refunded,
          out_biz_no: o['out-biz-no'] ?? `RF${randomBytes(6).toString('hex')}`,
          gmt_refund: new Date().toISOString(),
        },
      }),
    );
  } else fail(USAGE);
}

async function post(url: string, path: string, n: { body: string; headers: Record<string, string> }): Promise<void> {
  const res = await fetch(url + path, { method: 'POST', body: n.body, headers: n.headers }).catch(() =>
    fail(`cannot reach ${url}: is \`npm start\` running?`),
  );
  const text = await res.text();
  console.log(`POST ${path} → ${res.status} ${text}`);
  if (res.status >= 300) process.exitCode = 1;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));

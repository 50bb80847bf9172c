/** The platforms' bill files, read: what counts as a payment or a refund, and what is refused. */
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { alipayBillText, parseAlipayBill } from '../../cloudfunctions/core/payments/bills/alipay-bill.js';
import { parseWechatBill } from '../../cloudfunctions/core/payments/bills/wechatpay-bill.js';
import { alipayBillZip, wechatBill } from '../support/bill-files.js';

describe('the WeChat Pay trade bill', () => {
  it('reads payments and refunds in fen, skips revoked orders, and takes the count from the summary', () => {
    const text = wechatBill('1230000109', '2026-11-30', [
      { tradeNo: 'T1', outTradeNo: 'O1', amount: '0.01' },
      { tradeNo: 'T2', outTradeNo: 'O2', amount: '12345.67' },
      { tradeNo: 'T1', outTradeNo: 'O1', amount: '0.01', kind: 'refund', refundNo: 'R9' },
    ]).replace('`T2,`O2,`o-bill,`JSAPI,`SUCCESS', '`T2,`O2,`o-bill,`JSAPI,`REVOKED');
    const bill = parseWechatBill(`\uFEFF${text}`);
    expect(bill.rows.map((r) => [r.kind, r.tradeNo, r.amountFen, r.refundNo])).toEqual([
      ['payment', 'T1', 1, null],
      ['refund', 'T1', 1, 'R9'],
    ]);
    expect(bill.declaredRows).toBe(3);
  });

  it('refuses a file that is not a trade bill, and an amount that is not yuan', () => {
    expect(() => parseWechatBill('a,b,c\n`1,`2,`3')).toThrow(/no column 微信订单号/);
    const bad = wechatBill('1', '2026-11-30', [{ tradeNo: 'T1', outTradeNo: 'O1', amount: '8.8.8' }]);
    expect(() => parseWechatBill(bad)).toThrow(/not an amount/);
  });
});

describe('the Alipay trade bill', () => {
  it('finds the detail file among GBK-named files, decodes GBK, and reads refunds as positive amounts', async () => {
    const zip = await alipayBillZip('2088000000000000', '2026-11-30', [
      { tradeNo: 'A1', outTradeNo: 'X1', amount: '66.00' },
      { tradeNo: 'A1', outTradeNo: 'X1', amount: '6.60', kind: 'refund', refundNo: 'RF1' },
    ]);
    const bill = parseAlipayBill(alipayBillText(zip));
    expect(bill.rows.map((r) => [r.kind, r.tradeNo, r.outTradeNo, r.amountFen, r.refundNo])).toEqual([
      ['payment', 'A1', 'X1', 6_600, null],
      ['refund', 'A1', 'X1', 660, 'RF1'],
    ]);
    expect(bill.declaredRows).toBe(2);
  });

  it('also takes a zip with UTF-8 names, and refuses one without a detail file', async () => {
    const text = alipayBillText(
      await (async () => {
        const z = new JSZip();
        z.file('2088_20261130_业务明细(汇总).csv', iconv.encode('#汇总\n门店编号\n', 'gbk'));
        z.file(
          '2088_20261130_业务明细.csv',
          iconv.encode('支付宝交易号,商户订单号,业务类型,订单金额（元）\nA9\t,X9\t,交易\t,1.00\t\n', 'gbk'),
        );
        return z.generateAsync({ type: 'uint8array' });
      })(),
    );
    expect(parseAlipayBill(text).rows).toMatchObject([{ tradeNo: 'A9', amountFen: 100, line: 2 }]);
    const empty = new JSZip();
    empty.file('readme.txt', 'nothing');
    expect(() => alipayBillText(new Uint8Array(0))).toThrow();
    expect(() => alipayBillText(Buffer.from('not a zip'))).toThrow();
    await expect(empty.generateAsync({ type: 'uint8array' }).then(alipayBillText)).rejects.toThrow(/no detail CSV/);
  });
});

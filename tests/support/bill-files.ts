/**
 * Bill files as the platforms serve them, for the fake platforms: WeChat
 * Pay's trade bill (UTF-8 CSV, every field behind a backtick, a summary
 * block at the end) and Alipay's (a zip of two GBK CSV files with GBK file
 * names, `#` comment lines, fields padded with tabs).
 */
import iconv from 'iconv-lite';
import JSZip from 'jszip';

export interface BillLine {
  tradeNo: string;
  outTradeNo: string;
  /** Yuan, as the bill writes it: "88.00". */
  amount: string;
  kind?: 'payment' | 'refund';
  refundNo?: string;
  /** Our mini-program's appid (WeChat) or the buyer (Alipay's 对方账户). */
  appId?: string;
  openid?: string;
  time?: string;
}

const WECHAT_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';

export function wechatBill(mchId: string, date: string, lines: BillLine[]): string {
  const tick = (v: string) => `\`${v}`;
  const rows = lines.map((l) => {
    const refund = l.kind === 'refund';
    return [
      l.time ?? `${date} 10:00:00`,
      l.appId ?? 'wx-app',
      mchId,
      '0',
      '',
      l.tradeNo,
      l.outTradeNo,
      l.openid ?? 'o-bill',
      'JSAPI',
      refund ? 'REFUND' : 'SUCCESS',
      'OTHERS',
      'CNY',
      refund ? '0.00' : l.amount,
      '0.00',
      refund ? (l.refundNo ?? 'R1') : '0',
      refund ? `OR-${l.refundNo ?? 'R1'}` : '0',
      refund ? l.amount : '0.00',
      '0.00',
      refund ? 'ORIGINAL' : '',
      refund ? 'SUCCESS' : '',
      '门店消费',
      '',
      '0.00000',
      '0.60%',
      refund ? '0.00' : l.amount,
      refund ? l.amount : '0.00',
      '',
    ]
      .map(tick)
      .join(',');
  });
  const paid = lines.filter((l) => l.kind !== 'refund');
  const sum = (ls: BillLine[]) => (ls.reduce((n, l) => n + Math.round(Number(l.amount) * 100), 0) / 100).toFixed(2);
  return [
    WECHAT_HEADER,
    ...rows,
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    [
      String(lines.length),
      sum(paid),
      sum(lines.filter((l) => l.kind === 'refund')),
      '0.00',
      '0.00000',
      sum(paid),
      '0.00',
    ]
      .map(tick)
      .join(','),
    '',
  ].join('\r\n');
}

const ALIPAY_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

export async function alipayBillZip(pid: string, date: string, lines: BillLine[]): Promise<Uint8Array> {
  const compact = date.replaceAll('-', '');
  const pad = (v: string) => `${v}\t`;
  const rows = lines.map((l) => {
    const refund = l.kind === 'refund';
    const amount = refund ? `-${l.amount}` : l.amount;
    return [
      l.tradeNo,
      l.outTradeNo,
      refund ? '退款' : '交易',
      '门店消费',
      `${date} 10:00:00`,
      l.time ?? `${date} 10:00:05`,
      '',
      '',
      '',
      '',
      '138******00',
      amount,
      amount,
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '',
      '0.00',
      '0.00',
      refund ? (l.refundNo ?? 'R1') : '',
      '0.00',
      '0.00',
      '',
    ]
      .map(pad)
      .join(',');
  });
  const trades = lines.filter((l) => l.kind !== 'refund').length;
  const detail = [
    '#支付宝业务明细查询',
    `#账号：[${pid}]`,
    `#起始日期：[${date.replace(/-/g, (_, i: number) => (i === 4 ? '年' : '月'))}日 00:00:00]   终止日期：[次日 00:00:00]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    ALIPAY_HEADER,
    ...rows,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${trades}笔，退款合计：${lines.length - trades}笔`,
    `#导出时间：[${date} 09:00:00]`,
  ].join('\r\n');
  const summary = ['#支付宝业务汇总查询', `#账号：[${pid}]`, '门店编号,门店名称,交易订单总笔数', `,,${trades}`].join(
    '\r\n',
  );
  const zip = new JSZip();
  zip.file(`${pid}_${compact}_业务明细(汇总).csv`, iconv.encode(summary, 'gbk'));
  zip.file(`${pid}_${compact}_业务明细.csv`, iconv.encode(detail, 'gbk'));
  // As Alipay's own files: names in GBK, without the zip's UTF-8 flag.
  // (JSZip's types say a string; its documentation and code take bytes.)
  const gbkName = ((name: string) => iconv.encode(name, 'gbk')) as unknown as (name: string) => string;
  return zip.generateAsync({ type: 'uint8array', encodeFileName: gbkName });
}

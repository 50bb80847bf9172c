/**
 * Alipay's trade bill (alipay.data.dataservice.bill.downloadurl.query,
 * bill_type=trade): a zip of GBK-encoded CSV files; the detail file (业务明细,
 * not its 汇总 summary) has `#` comment lines around a header and one line
 * per trade (业务类型 交易) or refund (退款), fields padded with tabs and
 * spaces. Amounts are yuan strings; a refund's are negative.
 */
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { yuanToFen } from '../../domain/money.js';
import type { BillRow, ParsedBill } from './bill-row.js';

const REQUIRED = ['支付宝交易号', '商户订单号', '业务类型', '订单金额（元）'] as const;

export function alipayBillText(zip: Uint8Array): string {
  const files = unzipSync(zip);
  const names = Object.keys(files).filter((n) => n.endsWith('.csv'));
  // Names are UTF-8 when the zip says so, else GBK bytes read as latin1: the summary (汇总) is skipped either way.
  const detail = names.find((n) => !n.includes('汇总') && !decoded(n).includes('汇总'));
  if (!detail) throw new Error(`the Alipay bill zip has no detail CSV (files: ${names.join(', ') || 'none'})`);
  return iconv.decode(Buffer.from(files[detail]!), 'gbk');
}

/** A zip written without the UTF-8 flag keeps GBK file names: try them as such. */
function decoded(name: string): string {
  return iconv.decode(Buffer.from(name, 'latin1'), 'gbk');
}

export function parseAlipayBill(text: string): ParsedBill {
  // One record per line (the bill quotes nothing), so each record keeps its line number in the file.
  const lines = text.split(/\r?\n/);
  const origin = lines.flatMap((l, n) => (l.trim() !== '' && !l.startsWith('#') ? [n + 1] : []));
  const records = parse(origin.map((n) => lines[n - 1]).join('\n'), {
    relax_column_count: true,
    relax_quotes: true,
    trim: true,
  }) as string[][];
  const header = records[0] ?? [];
  const col = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof REQUIRED)[number],
    number
  >;
  const missing = REQUIRED.filter((name) => col[name] < 0);
  if (missing.length > 0) throw new Error(`the Alipay bill has no column ${missing.join(', ')}`);
  const refundCol = header.indexOf('退款批次号/请求号');

  const rows: BillRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    const kind = r[col.业务类型];
    if (kind !== '交易' && kind !== '退款') continue;
    const amount = (r[col['订单金额（元）']] ?? '').replace(/^-/, '');
    rows.push({
      channel: 'alipay',
      tradeNo: r[col.支付宝交易号]!,
      outTradeNo: r[col.商户订单号] || null,
      kind: kind === '交易' ? 'payment' : 'refund',
      amountFen: yuanToFen(amount),
      refundNo: kind === '退款' && refundCol >= 0 ? r[refundCol] || null : null,
      line: origin[i]!,
    });
  }
  const totals = /#交易合计：(\d+)笔，退款合计：(\d+)笔/.exec(text);
  return { rows, declaredRows: totals ? Number(totals[1]) + Number(totals[2]) : null };
}

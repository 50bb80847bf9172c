/**
 * WeChat Pay's trade bill (GET /v3/bill/tradebill, bill_type=ALL): CSV in
 * UTF-8 where every field starts with a backtick (so spreadsheets keep long
 * numbers as text), one line per payment or refund, then a summary block
 * whose first field is 总交易单数. Amounts are yuan strings.
 */
import { parse } from 'csv-parse/sync';
import { yuanToFen } from '../../domain/money.js';
import type { BillRow, ParsedBill } from './bill-row.js';

const REQUIRED = ['微信订单号', '商户订单号', '交易状态', '订单金额', '微信退款单号', '退款金额'] as const;

const unticked = (field: string | undefined) => (field ?? '').trim().replace(/^`/, '').trim();

export function parseWechatBill(text: string): ParsedBill {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const header = (records[0] ?? []).map(unticked);
  const col = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof REQUIRED)[number],
    number
  >;
  const missing = REQUIRED.filter((name) => col[name] < 0);
  if (missing.length > 0) throw new Error(`the WeChat Pay bill has no column ${missing.join(', ')}`);

  const rows: BillRow[] = [];
  let declaredRows: number | null = null;
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!.map(unticked);
    if (r[0] === '总交易单数') {
      declaredRows = Number(unticked(records[i + 1]?.[0])) || 0;
      break;
    }
    const state = r[col.交易状态];
    const tradeNo = r[col.微信订单号]!;
    const outTradeNo = r[col.商户订单号] || null;
    if (state === 'REFUND') {
      rows.push({
        channel: 'wechatpay',
        tradeNo,
        outTradeNo,
        kind: 'refund',
        amountFen: yuanToFen(r[col.退款金额]!),
        refundNo: r[col.微信退款单号] || null,
        line: i + 1,
      });
    } else if (state === 'SUCCESS') {
      rows.push({
        channel: 'wechatpay',
        tradeNo,
        outTradeNo,
        kind: 'payment',
        amountFen: yuanToFen(r[col.订单金额]!),
        refundNo: null,
        line: i + 1,
      });
    }
    // REVOKED (撤销) and other states moved no money.
  }
  return { rows, declaredRows };
}

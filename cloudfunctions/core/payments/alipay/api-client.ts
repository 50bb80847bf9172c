/**
 * Outbound Alipay calls for reconciliation, through alipay-sdk (signed
 * requests to ALIPAY_GATEWAY, answers checked with the Alipay public key by
 * `validateSign`): the day's bill download URL and an order query.
 */
import type { AlipaySdk } from 'alipay-sdk';
import { PLATFORM_TIMEOUT_MS, PlatformError } from '../platform-error.js';

/** The order as Alipay has it: the fields a notification would carry. */
export type AlipayTrade = Record<string, string | undefined>;

const fail = (message: string) => new PlatformError('alipay', message);

export class AlipayApi {
  constructor(private readonly sdk: () => Promise<AlipaySdk>) {}

  /** The day's trade bill: a zip of GBK CSV files (bills/alipay-bill.ts reads it). */
  async tradeBill(date: string): Promise<Uint8Array> {
    const answer = await this.exec('alipay.data.dataservice.bill.downloadurl.query', {
      bill_type: 'trade',
      bill_date: date,
    });
    if (answer.code !== '10000' || typeof answer.bill_download_url !== 'string') {
      throw fail(`no bill for ${date}: ${String(answer.sub_msg ?? answer.msg ?? answer.code)}`);
    }
    let res: Response;
    try {
      res = await fetch(answer.bill_download_url, { signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS) });
    } catch (e) {
      throw fail(`the bill download is unreachable: ${(e as Error).message}`);
    }
    if (!res.ok) throw fail(`the bill download answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** The order, or null when Alipay does not know it. */
  async trade(tradeNo: string): Promise<AlipayTrade | null> {
    const answer = await this.exec('alipay.trade.query', { trade_no: tradeNo });
    if (answer.sub_code === 'ACQ.TRADE_NOT_EXIST') return null;
    if (answer.code !== '10000') throw fail(`alipay.trade.query: ${String(answer.sub_msg ?? answer.msg)}`);
    return Object.fromEntries(Object.entries(answer).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
  }

  private async exec(method: string, bizContent: Record<string, string>): Promise<Record<string, unknown>> {
    const sdk = await this.sdk();
    try {
      return (await sdk.exec(method, { bizContent }, { validateSign: true })) as Record<string, unknown>;
    } catch (e) {
      throw fail(`${method}: ${(e as Error).message.slice(0, 300)}`);
    }
  }
}

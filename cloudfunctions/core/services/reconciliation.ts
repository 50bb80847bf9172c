/**
 * Reconciliation against the payment platforms' own bills (DESIGN "Payment
 * platform facts"): a daily run per channel, and a re-check of one order.
 *
 * A paid order in the bill that we never heard of is queried from the
 * platform and accrued as its notification would have been, through the
 * same exactly-once key (the payment's trade number), so a notification
 * arriving later is a duplicate. An amount that differs and a payment of
 * ours missing from the bill are flagged, kept with the run, and raised as
 * alerts. Runs are configuration documents (`reconciliation`, one per
 * channel and day); a run again replaces its day's document.
 */
import { DateTime } from 'luxon';
import { DomainError, errors } from '../domain/errors.js';
import { isoInZone } from '../domain/time.js';
import type { Accruals, AccrualResult, PaymentFact } from '../payments/accrual.js';
import { alipayBillText, parseAlipayBill } from '../payments/bills/alipay-bill.js';
import type { BillRow, ParsedBill } from '../payments/bills/bill-row.js';
import { parseWechatBill } from '../payments/bills/wechatpay-bill.js';
import type { AlipayApi } from '../payments/alipay/api-client.js';
import { PlatformError } from '../payments/platform-error.js';
import type { WechatPayApi } from '../payments/wechatpay/api-client.js';
import type { Channel, ConfigDoc, NotificationRow, PaymentRow, Store, Tx } from '../store/port.js';
import { configDoc } from './config-docs.js';

/** Both platforms cut their bills at midnight Beijing time, whatever the merchant's own zone. */
export const BILL_TIME_ZONE = 'Asia/Shanghai';
/** Bills of a day are ready the next morning (WeChat Pay after 10:00); the daily run waits for that. */
export const BILL_READY_HOUR = 10;
/** A failed daily run is tried again this long after its last attempt. */
const RETRY_AFTER_MS = 60 * 60_000;
/** More of a channel's payments in one day than this fails the run loudly instead of reading a part. */
const DAY_PAYMENTS_MAX = 500_000;

export type FlagKind = 'amount_mismatch' | 'missing_from_bill' | 'not_paid_on_platform' | 'refund_missing';

export interface ReconFlag {
  kind: FlagKind;
  tradeNo: string;
  outTradeNo: string | null;
  billFen: number | null;
  ourFen: number | null;
  /** The bill's line, for a person checking the file. */
  line: number | null;
}

export interface Compensation {
  tradeNo: string;
  outTradeNo: string | null;
  amountFen: number;
  result: AccrualResult;
}

export interface ReconRun {
  id: string;
  channel: Channel;
  date: string;
  status: 'done' | 'failed';
  by: string;
  startedAt: number;
  finishedAt: number;
  attempts: number;
  error: string | null;
  billRows: number;
  declaredRows: number | null;
  matched: number;
  duplicates: number;
  refunds: number;
  compensated: Compensation[];
  flags: ReconFlag[];
}

export type RecheckStatus = 'matched' | 'compensated' | 'amount_mismatch' | 'not_paid_on_platform';

export interface ReconciliationDeps {
  store: Store;
  clock: () => number;
  accruals: Accruals;
  /** null: the channel is not configured for outbound calls, with the reason shown to HQ. */
  wechatpay: { api: WechatPayApi; fact: (order: Record<string, unknown>) => PaymentFact | null } | string;
  alipay: { api: AlipayApi; fact: (order: Record<string, string | undefined>) => PaymentFact | null } | string;
}

const runId = (channel: Channel, date: string) => `${channel}:${date}`;

export class Reconciliation {
  constructor(private readonly deps: ReconciliationDeps) {}

  /** Which channels can be reconciled here, and why not. */
  channels(): Array<{ channel: Channel; enabled: boolean; reason: string | null }> {
    return (['wechatpay', 'alipay'] as const).map((channel) => {
      const c = this.deps[channel];
      return { channel, enabled: typeof c !== 'string', reason: typeof c === 'string' ? c : null };
    });
  }

  /** Reconciles one channel's day (YYYY-MM-DD, Beijing time) and keeps the run; a failure is kept too. */
  async run(channel: Channel, date: string, by: string): Promise<ReconRun> {
    this.enabled(channel);
    const today = DateTime.fromMillis(this.deps.clock(), { zone: BILL_TIME_ZONE }).toISODate()!;
    if (!(date < today))
      throw errors.validation(`The bill of ${date} is ready the morning after; pick a day before ${today}.`);
    const startedAt = this.deps.clock();
    const earlier = await this.stored(channel, date);
    const base: ReconRun = {
      id: runId(channel, date),
      channel,
      date,
      status: 'done',
      by,
      startedAt,
      finishedAt: startedAt,
      attempts: (earlier?.attempts ?? 0) + 1,
      error: null,
      billRows: 0,
      declaredRows: null,
      matched: 0,
      duplicates: 0,
      refunds: 0,
      compensated: [],
      flags: [],
    };
    let run: ReconRun;
    try {
      run = await this.match(base, await this.bill(channel, date));
    } catch (e) {
      if (!(e instanceof PlatformError) && !(e instanceof Error)) throw e;
      run = { ...base, status: 'failed', error: e.message };
    }
    run.finishedAt = this.deps.clock();
    await this.save(run, by);
    return run;
  }

  /** One order, on demand: asked of the platform, compensated if we never heard of it, compared if we did. */
  async recheck(channel: Channel, tradeNo: string, by: string): Promise<{ status: RecheckStatus; flag?: ReconFlag }> {
    this.enabled(channel);
    const ours = await this.deps.store.getPayment(`${channel}:${tradeNo}`);
    const order = await this.order(channel, tradeNo).catch((e: unknown) => {
      // The platform, not the caller, failed: a gateway error the operator can retry.
      throw e instanceof PlatformError ? new DomainError('PLATFORM_ERROR', e.message, 502) : e;
    });
    let status: RecheckStatus;
    let flag: ReconFlag | undefined;
    if (!order) {
      status = 'not_paid_on_platform';
      flag = {
        kind: status,
        tradeNo,
        outTradeNo: ours?.outTradeNo ?? null,
        billFen: null,
        ourFen: ours?.totalFen ?? null,
        line: null,
      };
    } else if (ours?.status !== 'paid') {
      await this.compensate(order, 'RECHECKED');
      status = 'compensated';
    } else if (ours.totalFen !== order.totalFen) {
      status = 'amount_mismatch';
      flag = {
        kind: status,
        tradeNo,
        outTradeNo: ours.outTradeNo,
        billFen: order.totalFen,
        ourFen: ours.totalFen,
        line: null,
      };
    } else {
      status = 'matched';
    }
    const raise = await this.unalerted(channel, flag ? [flag] : []);
    await this.deps.store.transaction(async (tx) => {
      await this.alert(tx, channel, raise, {});
      await tx.insertAudit({
        actor: by,
        action: 'reconciliation.recheck',
        subject: runId(channel, tradeNo),
        detail: { status },
        createdAt: this.deps.clock(),
      });
    });
    return flag ? { status, flag } : { status };
  }

  /** Runs of the days in [from, to], newest first. */
  async runs(from: string, to: string, channel: Channel | null): Promise<ReconRun[]> {
    const wanted = channel ? [channel] : (['wechatpay', 'alipay'] as const);
    const runs: ReconRun[] = [];
    for (const c of wanted) {
      const docs = await this.deps.store.configDocs('reconciliation', { from: runId(c, from), to: runId(c, to) });
      runs.push(...docs.map((d) => d.body as unknown as ReconRun));
    }
    return runs.sort((a, b) => b.date.localeCompare(a.date) || a.channel.localeCompare(b.channel));
  }

  /**
   * The daily job: yesterday's bill of each configured channel once it is
   * ready, and a failed run again an hour after its last attempt (the day
   * before yesterday too, so a day the platform was late is not skipped).
   * Returns how many runs it made.
   */
  async runDue(): Promise<number> {
    const now = DateTime.fromMillis(this.deps.clock(), { zone: BILL_TIME_ZONE });
    if (now.hour < BILL_READY_HOUR) return 0;
    let made = 0;
    for (const { channel, enabled } of this.channels()) {
      if (!enabled) continue;
      for (const back of [1, 2]) {
        const date = now.minus({ days: back }).toISODate()!;
        const earlier = await this.stored(channel, date);
        const retry = earlier?.status === 'failed' && this.deps.clock() - earlier.finishedAt >= RETRY_AFTER_MS;
        if (earlier && !retry) continue;
        await this.run(channel, date, 'system:reconciliation');
        made++;
      }
    }
    return made;
  }

  private enabled(channel: Channel): void {
    const c = this.deps[channel];
    if (typeof c === 'string') throw errors.conflict('CHANNEL_NOT_CONFIGURED', c);
  }

  private async bill(channel: Channel, date: string): Promise<ParsedBill> {
    const c = this.deps[channel];
    if (typeof c === 'string') throw new PlatformError(channel, c);
    try {
      if (channel === 'wechatpay') return parseWechatBill(await (c.api as WechatPayApi).tradeBill(date));
      return parseAlipayBill(alipayBillText(await (c.api as AlipayApi).tradeBill(date)));
    } catch (e) {
      if (e instanceof PlatformError) throw e;
      throw new PlatformError(channel, `the bill could not be read: ${(e as Error).message}`);
    }
  }

  /** The platform's order as the payment its notification would have made; null when it is not paid there. */
  private async order(channel: Channel, tradeNo: string): Promise<PaymentFact | null> {
    const c = this.deps[channel];
    if (typeof c === 'string') throw new PlatformError(channel, c);
    if (channel === 'wechatpay') {
      const w = c as Exclude<ReconciliationDeps['wechatpay'], string>;
      const order = await w.api.transaction(tradeNo);
      return order ? w.fact(order) : null;
    }
    const a = c as Exclude<ReconciliationDeps['alipay'], string>;
    const order = await a.api.trade(tradeNo);
    return order ? a.fact(order) : null;
  }

  private compensate(fact: PaymentFact, eventType: string): Promise<AccrualResult> {
    // Recorded like a notification (the audit trail shows where it came from), under the payment's own key.
    return this.deps.accruals.recordPayment(fact, {
      channel: fact.channel,
      notifyId: null,
      eventType,
      tradeNo: fact.tradeNo,
      refundKey: null,
      amountFen: fact.totalFen,
      payload: { source: 'reconciliation', outTradeNo: fact.outTradeNo, totalFen: fact.totalFen },
    });
  }

  private async match(run: ReconRun, bill: ParsedBill): Promise<ReconRun> {
    const { store } = this.deps;
    const payments = new Map<string, BillRow>();
    const refunds: BillRow[] = [];
    for (const row of bill.rows) {
      if (row.kind === 'refund') refunds.push(row);
      else if (payments.has(row.tradeNo)) run.duplicates++;
      else payments.set(row.tradeNo, row);
    }
    run.refunds = refunds.length;
    run.billRows = bill.rows.length;
    run.declaredRows = bill.declaredRows;
    for (const row of payments.values()) {
      const ours = await store.getPayment(`${run.channel}:${row.tradeNo}`);
      if (ours?.status === 'paid') {
        if (ours.totalFen === row.amountFen) run.matched++;
        else run.flags.push(flagOf('amount_mismatch', row, ours));
        continue;
      }
      const fact = await this.order(run.channel, row.tradeNo);
      if (!fact) {
        run.flags.push(flagOf('not_paid_on_platform', row, ours));
        continue;
      }
      const result = await this.compensate(fact, 'RECONCILED');
      run.compensated.push({ tradeNo: row.tradeNo, outTradeNo: row.outTradeNo, amountFen: fact.totalFen, result });
    }
    const [from, to] = dayRange(run.date);
    const paid = await store.paymentsPaidBetween(run.channel, from, to, DAY_PAYMENTS_MAX + 1);
    if (paid.length > DAY_PAYMENTS_MAX) throw new Error(`more than ${DAY_PAYMENTS_MAX} payments on ${run.date}`);
    for (const p of paid) {
      if (!payments.has(p.tradeNo)) run.flags.push(flagOf('missing_from_bill', null, p));
    }
    // A refund we never heard of left the order's points with the member: flagged for HQ to claw back.
    for (const row of refunds) {
      const heard = await store.notifications(run.channel, row.tradeNo);
      if (!heard.some((n) => refundHeard(n, row))) run.flags.push(flagOf('refund_missing', row, null));
    }
    return run;
  }

  private async stored(channel: Channel, date: string): Promise<ReconRun | null> {
    return (
      ((await configDoc(this.deps.store, 'reconciliation', runId(channel, date)))?.body as unknown as ReconRun) ?? null
    );
  }

  /** The flags that need an alert: one stays open per kind and order until HQ resolves it. */
  private async unalerted(channel: Channel, flags: ReconFlag[]): Promise<ReconFlag[]> {
    const open = await Promise.all(
      flags.map((f) => this.deps.store.hasOpenAlert(`reconciliation.${f.kind}`, runId(channel, f.tradeNo))),
    );
    return flags.filter((_, i) => !open[i]);
  }

  private async alert(tx: Tx, channel: Channel, flags: ReconFlag[], detail: Record<string, unknown>): Promise<void> {
    for (const f of flags) {
      await tx.insertAlert({
        kind: `reconciliation.${f.kind}`,
        subject: runId(channel, f.tradeNo),
        detail: { ...f, channel, ...detail },
        createdAt: this.deps.clock(),
      });
    }
  }

  /** The run's document, an alert per new flag (one open per order), and an audit row for a run HQ asked for. */
  private async save(run: ReconRun, by: string): Promise<void> {
    const now = this.deps.clock();
    const raise = await this.unalerted(run.channel, run.flags);
    await this.deps.store.transaction(async (tx) => {
      const doc = await tx.lockConfig('reconciliation', run.id);
      const next: ConfigDoc = {
        kind: 'reconciliation',
        id: run.id,
        version: (doc?.version ?? 0) + 1,
        body: run as unknown as Record<string, unknown>,
        updatedBy: by,
        updatedAt: now,
      };
      await tx.putConfig(next);
      await this.alert(tx, run.channel, raise, { date: run.date });
      if (!by.startsWith('system:')) {
        await tx.insertAudit({
          actor: by,
          action: 'reconciliation.run',
          subject: run.id,
          detail: { status: run.status, compensated: run.compensated.length, flags: run.flags.length },
          createdAt: now,
        });
      }
    });
  }
}

function flagOf(kind: FlagKind, row: BillRow | null, ours: PaymentRow | null): ReconFlag {
  return {
    kind,
    tradeNo: row?.tradeNo ?? ours!.tradeNo,
    outTradeNo: row?.outTradeNo ?? ours?.outTradeNo ?? null,
    billFen: row?.amountFen ?? null,
    ourFen: ours?.status === 'paid' ? ours.totalFen : null,
    line: row?.line ?? null,
  };
}

/**
 * Whether a notification recorded this refund: by its refund number where the
 * bill gives one (WeChat Pay's refund_id, Alipay's out_request_no, which its
 * notification calls out_biz_no), or, for Alipay, by the close of a fully
 * refunded trade.
 */
function refundHeard(n: NotificationRow, row: BillRow): boolean {
  if (!n.result.startsWith('refund-')) return false;
  if (!row.refundNo || n.refundKey === row.refundNo) return true;
  return row.channel === 'alipay' && n.eventType === 'TRADE_CLOSED';
}

/** The day's [start, end) in Beijing time, as epoch ms. */
function dayRange(date: string): [number, number] {
  const start = DateTime.fromISO(date, { zone: BILL_TIME_ZONE }).startOf('day');
  return [start.toMillis(), start.plus({ days: 1 }).toMillis()];
}

/** A run as the API shows it: times in the merchant's zone. */
export function runView(run: ReconRun, timeZone: string) {
  return { ...run, startedAt: isoInZone(run.startedAt, timeZone), finishedAt: isoInZone(run.finishedAt, timeZone) };
}

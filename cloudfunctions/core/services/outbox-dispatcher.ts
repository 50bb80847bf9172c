/**
 * Sends what the outbox holds: subscribe messages after accruals and refunds.
 * It runs after the answer to WeChat Pay or Alipay, never before. A message
 * is claimed (pending → sending) before it is sent, so two dispatchers never
 * send it twice; a crash mid-send leaves it 'sending' (at most once, never
 * twice). One subscription credit is used per message; WeChat's 43101 means
 * the member has none left. Upstream failures retry with backoff.
 */
import { present } from '../domain/assert.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { OutboxMessage, Store, Tx } from '../store/port.js';
import type { Wechat } from '../wechat/index.js';
import { fillTemplate, type Template, type Templates, type Values } from './message-templates.js';
import { DELIVERY_TOPIC, type Webhooks } from './webhooks.js';

export const MAX_ATTEMPTS = 6;
const BACKOFF_MS = 30_000;

export interface DispatchReport {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

export class OutboxDispatcher {
  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      wechat: Wechat | null;
      templates: Templates;
      timeZone: string;
      logger: Logger;
      /** Webhooks out: events fanned out to their deliveries, deliveries sent; absent, neither. */
      webhooks?: Webhooks;
    },
  ) {}

  /**
   * One batch: one transaction claims the due messages and takes the
   * subscription credit of each one it will send, the sends follow (outside
   * any transaction), and one transaction marks them all. Three commits a
   * batch, where it was two or three a message.
   */
  async dispatchDue(limit = 50): Promise<DispatchReport> {
    const { store, clock } = this.deps;
    const report: DispatchReport = { sent: 0, skipped: 0, retried: 0, failed: 0 };
    const now = clock();
    // A plain read first: an idle outbox costs no write transaction.
    if ((await store.dueOutbox(now, 1)).length === 0) return report;
    const plans = await store.transaction(async (tx) => {
      const claimed: Plan[] = [];
      for (const m of await tx.claimDueOutbox(now, limit)) {
        if (m.topic === DELIVERY_TOPIC) {
          claimed.push({ message: m, send: null, webhook: true });
          continue;
        }
        // In the claim's transaction: an event is fanned out to its webhooks exactly once.
        await this.deps.webhooks?.fanOut(tx, m, now);
        claimed.push(await this.plan(tx, m, now));
      }
      return claimed;
    });
    const marks: Mark[] = [];
    for (const p of plans) {
      const mark = p.webhook
        ? await this.deliver(p.message)
        : p.send
          ? await this.send(p.message, p.send)
          : { ...skip(p.message), attempts: p.message.attempts };
      report[mark.outcome]++;
      marks.push(mark);
    }
    await store.transaction(async (tx) => {
      for (const k of marks) await tx.markOutbox(k.id, k.status, k.attempts, k.nextAt);
    });
    return report;
  }

  private async deliver(m: OutboxMessage): Promise<Mark> {
    const webhooks = present(this.deps.webhooks, 'deliveries exist only when webhooks do');
    const { status, nextAt } = await webhooks.deliver(m);
    const outcome = status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'retried';
    return { id: m.id, status, outcome, attempts: m.attempts + 1, nextAt };
  }

  /** Whether a claimed message will be sent, and to whom; inside the claiming transaction. */
  private async plan(tx: Tx, m: OutboxMessage, now: number): Promise<Plan> {
    const template = this.deps.templates[m.topic];
    const member = m.memberId ? await tx.getMember(m.memberId) : null;
    // Sandbox (no WeChat), no template for this topic, or nobody to send to.
    if (!this.deps.wechat || !template || !member?.openid) return { message: m, send: null };
    // A retry already used its credit; a first attempt needs one, or the member gets nothing.
    if (m.attempts === 0 && !(await tx.takeSubscribeCredit(member.id, template.templateId, now))) {
      return { message: m, send: null };
    }
    return { message: m, send: { memberId: member.id, openid: member.openid, template } };
  }

  private async send(m: OutboxMessage, to: NonNullable<Plan['send']>): Promise<Mark> {
    const { store, clock } = this.deps;
    const wechat = present(this.deps.wechat, 'a message is planned for sending only when WeChat is configured');
    try {
      const account = await store.getAccount(to.memberId);
      const values: Values = { ...(m.payload as Values), balance: account?.balance ?? 0, time: m.createdAt };
      const p = m.payload as { paidFen?: number; refundedFen?: number; storeId?: string };
      values.paid = p.paidFen;
      values.refunded = p.refundedFen;
      values.store = p.storeId ?? '';
      const result = await wechat.sendSubscribeMessage({
        touser: to.openid,
        templateId: to.template.templateId,
        page: to.template.page,
        data: fillTemplate(to.template, values, this.deps.timeZone),
      });
      const status = result === 'sent' ? 'sent' : 'skipped';
      return { id: m.id, status, outcome: status, attempts: m.attempts + 1, nextAt: m.nextAt };
    } catch (e) {
      const attempts = m.attempts + 1;
      const retryable = e instanceof DomainError && (e.status >= 500 || e.status === 429);
      this.deps.logger.warn(
        { outbox: m.id, topic: m.topic, attempts, code: (e as DomainError).code },
        'message not sent',
      );
      if (!retryable || attempts >= MAX_ATTEMPTS) {
        return { id: m.id, status: 'failed', outcome: 'failed', attempts, nextAt: m.nextAt };
      }
      return {
        id: m.id,
        status: 'pending',
        outcome: 'retried',
        attempts,
        nextAt: clock() + BACKOFF_MS * 2 ** (attempts - 1),
      };
    }
  }
}

interface Plan {
  message: OutboxMessage;
  /** null: marked skipped without a call. */
  send: { memberId: string; openid: string; template: Template } | null;
  /** A webhook delivery (webhooks.ts), not a subscribe message. */
  webhook?: boolean;
}

interface Mark {
  id: number;
  status: OutboxMessage['status'];
  outcome: keyof DispatchReport;
  attempts: number;
  nextAt: number;
}

const skip = (m: OutboxMessage): Omit<Mark, 'attempts'> => ({
  id: m.id,
  status: 'skipped',
  outcome: 'skipped',
  nextAt: m.nextAt,
});

/**
 * Sends what the outbox holds: subscribe messages after accruals and refunds.
 * It runs after the answer to WeChat Pay or Alipay, never before. A message
 * is claimed (pending → sending) before it is sent, so two dispatchers never
 * send it twice; a crash mid-send leaves it 'sending' (at most once, never
 * twice). One subscription credit is used per message; WeChat's 43101 means
 * the member has none left. Upstream failures retry with backoff.
 */
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { OutboxMessage, Store } from '../store/port.js';
import type { Wechat } from '../wechat/index.js';
import { fillTemplate, type Templates, type Values } from './message-templates.js';

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
    },
  ) {}

  async dispatchDue(limit = 50): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, skipped: 0, retried: 0, failed: 0 };
    for (const message of await this.deps.store.dueOutbox(this.deps.clock(), limit)) {
      if (!(await this.deps.store.transaction((tx) => tx.claimOutbox(message.id)))) continue;
      report[await this.deliver(message)]++;
    }
    return report;
  }

  private async deliver(m: OutboxMessage): Promise<keyof DispatchReport> {
    const { store, clock, wechat, templates } = this.deps;
    const template = templates[m.topic];
    const member = m.memberId ? await store.getMember(m.memberId) : null;
    // Sandbox (no WeChat), no template for this topic, or nobody to send to.
    if (!wechat || !template || !member?.openid) return this.mark(m, 'skipped', m.attempts);
    if (m.attempts === 0) {
      const credit = await store.transaction((tx) => tx.takeSubscribeCredit(member.id, template.templateId, clock()));
      if (!credit) return this.mark(m, 'skipped', 0);
    }
    try {
      const account = await store.getAccount(member.id);
      const values: Values = { ...(m.payload as Values), balance: account?.balance ?? 0, time: m.createdAt };
      const p = m.payload as { paidFen?: number; refundedFen?: number; storeId?: string };
      values.paid = p.paidFen;
      values.refunded = p.refundedFen;
      values.store = p.storeId ?? '';
      const result = await wechat.sendSubscribeMessage({
        touser: member.openid,
        templateId: template.templateId,
        page: template.page,
        data: fillTemplate(template, values, this.deps.timeZone),
      });
      return this.mark(m, result === 'sent' ? 'sent' : 'skipped', m.attempts + 1);
    } catch (e) {
      const attempts = m.attempts + 1;
      const retryable = e instanceof DomainError && (e.status >= 500 || e.status === 429);
      this.deps.logger.warn(
        { outbox: m.id, topic: m.topic, attempts, code: (e as DomainError).code },
        'message not sent',
      );
      if (!retryable || attempts >= MAX_ATTEMPTS) return this.mark(m, 'failed', attempts);
      await store.transaction((tx) =>
        tx.markOutbox(m.id, 'pending', attempts, clock() + BACKOFF_MS * 2 ** (attempts - 1)),
      );
      return 'retried';
    }
  }

  private async mark(m: OutboxMessage, status: 'sent' | 'skipped' | 'failed', attempts: number) {
    await this.deps.store.transaction((tx) => tx.markOutbox(m.id, status, attempts, m.nextAt));
    return status;
  }
}

/**
 * Payer links as members and HQ see them: a member lists and removes their
 * own, HQ lists a member's and removes any; removals are audited. Alerts
 * (contested links) are listed and resolved by HQ.
 */
import { errors } from '../domain/errors.js';
import { maskPayer } from '../domain/payer-links.js';
import { isoInZone } from '../domain/time.js';
import type { PayerLinkRow, Store } from '../store/port.js';

/** A member has a handful of payer identities at most; this bounds the list. */
export const PAYER_LINKS_PER_MEMBER_MAX = 100;
export const ALERTS_PAGE_MAX = 200;

export interface PayerLinkView {
  id: string;
  channel: 'alipay' | 'wechatpay';
  /** Masked: 2088****5135, or appid:oUpF****eS6o for another mini-program's openid. */
  payer: string;
  status: PayerLinkRow['status'];
  claims: number;
  /** Claims still needed before a pending link is active (0 otherwise). */
  claimsNeeded: number;
  createdAt: string;
  updatedAt: string;
}

export const payerLinkView = (l: PayerLinkRow, timeZone: string, linkClaims: number): PayerLinkView => ({
  id: l.id,
  channel: l.payerKind === 'alipay_buyer' ? 'alipay' : 'wechatpay',
  payer: maskPayer(l.payerId),
  status: l.status,
  claims: l.claims,
  claimsNeeded: l.status === 'pending' && linkClaims > 0 ? Math.max(0, linkClaims - l.claims) : 0,
  createdAt: isoInZone(l.createdAt, timeZone),
  updatedAt: isoInZone(l.updatedAt, timeZone),
});

export class PayerLinks {
  constructor(private readonly deps: { store: Store; clock: () => number; timeZone: string; linkClaims: number }) {}

  /** The member's links that mean something: removed ones and empty placeholders are left out. */
  async list(memberId: string): Promise<PayerLinkView[]> {
    const links = await this.deps.store.memberPayerLinks(memberId, PAYER_LINKS_PER_MEMBER_MAX);
    return links
      .filter((l) => l.status !== 'removed' && l.claims > 0)
      .map((l) => payerLinkView(l, this.deps.timeZone, this.deps.linkClaims));
  }

  /**
   * Removes a link: that payer's payments wait for a claim again. `memberId`
   * scopes it to the member's own links (a link of someone else is 404).
   */
  async remove(actor: string, id: string, memberId: string | null): Promise<PayerLinkView> {
    const now = this.deps.clock();
    const peek = await this.deps.store.getPayerLink(id);
    if (!peek || (memberId !== null && peek.memberId !== memberId)) throw errors.notFound('Payer link');
    return this.deps.store.transaction(async (tx) => {
      const link = await tx.lockPayerLink(peek.payerKind, peek.payerId, { id, memberId: peek.memberId, at: now });
      if (link.id !== id || (memberId !== null && link.memberId !== memberId)) throw errors.notFound('Payer link');
      const removed: PayerLinkRow = { ...link, status: 'removed', claims: 0, updatedAt: now };
      if (link.status !== 'removed') {
        await tx.savePayerLink(removed);
        await tx.insertAudit({
          actor,
          action: 'payer_link.remove',
          subject: link.memberId,
          detail: { linkId: id, payer: maskPayer(link.payerId), before: link.status, after: 'removed' },
          createdAt: now,
        });
      }
      return payerLinkView(removed, this.deps.timeZone, this.deps.linkClaims);
    });
  }

  async resolveAlert(actor: string, id: number, note: string | undefined): Promise<void> {
    const now = this.deps.clock();
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.resolveAlert(id, actor, now))) throw errors.notFound('Open alert');
      await tx.insertAudit({
        actor,
        action: 'alert.resolve',
        subject: String(id),
        detail: { note: note ?? null },
        createdAt: now,
      });
    });
  }
}

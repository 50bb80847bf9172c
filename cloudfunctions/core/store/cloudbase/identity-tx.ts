/** The identity half of the Tx port over CloudBase documents (orders, stores, staff, tickets, payer links, phones, subscriptions, outbox). */
import {
  UniqueViolation,
  type Channel,
  type ClaimTicketRow,
  type MemberRow,
  type OutboxMessage,
  type NewAlert,
  type PayerKind,
  type PayerLinkRow,
  type PaymentRow,
  type StaffRow,
  type StoreRow,
  type Tx,
} from '../port.js';
import { KEY_COLLECTIONS } from './collections.js';
import { docId } from './doc-ids.js';
import { CloudbaseConfigTx } from './config-tx.js';
import { allDocs, rowOf, rowOrNull } from './scan.js';
import { eraseIn, erasableIds } from '../../domain/erasure.js';

const earliest = (field: string) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Number(a[field]) - Number(b[field]);

export class CloudbaseTx extends CloudbaseConfigTx implements Tx {
  async findPaymentByOrder(channel: Channel, outTradeNo: string): Promise<PaymentRow | null> {
    const found = await this.d.query(
      'payments',
      { channel, outTradeNo },
      (p) => p.channel === channel && p.outTradeNo === outTradeNo,
    );
    const first = found.sort(earliest('createdAt'))[0];
    return first ? rowOf<PaymentRow>(await this.d.lockFound('payments', first)) : null;
  }

  async lockOrder(channel: Channel, outTradeNo: string): Promise<void> {
    // Created on first use and written by every locker: the write is the lock (doc-tx.ts).
    const id = docId(channel, outTradeNo);
    if (!(await this.d.lock('order_locks', id))) this.d.put('order_locks', id, { channel, outTradeNo, _lock: 1 });
  }

  async insertStore(s: StoreRow): Promise<boolean> {
    return this.d.create('stores', docId(s.id), { ...s });
  }

  async getStore(id: string): Promise<StoreRow | null> {
    return rowOrNull<StoreRow>(await this.d.get('stores', docId(id)));
  }

  async insertStaff(s: StaffRow): Promise<void> {
    await this.insertRow('staff', s.id, s);
  }

  async revokeStaff(id: string, at: number): Promise<boolean> {
    const doc = await this.d.get('staff', docId(id));
    if (!doc || doc.revokedAt !== null) return false;
    this.d.put('staff', docId(id), { ...doc, revokedAt: at });
    return true;
  }

  async insertTicket(t: ClaimTicketRow): Promise<void> {
    await this.insertRow('claim_tickets', t.id, t);
  }

  async lockTicket(id: string): Promise<ClaimTicketRow | null> {
    return rowOrNull<ClaimTicketRow>(await this.d.lock('claim_tickets', docId(id)));
  }

  async claimedTicketForOrder(channel: Channel, outTradeNo: string): Promise<ClaimTicketRow | null> {
    const found = await this.d.query(
      'claim_tickets',
      { channel, outTradeNo, memberId: this.cmd.neq(null) },
      (t) => t.channel === channel && t.outTradeNo === outTradeNo && t.memberId !== null,
    );
    const first = found.sort(earliest('claimedAt'))[0];
    return first ? rowOf<ClaimTicketRow>(await this.d.lockFound('claim_tickets', first)) : null;
  }

  async saveTicket(t: ClaimTicketRow): Promise<void> {
    await this.merge('claim_tickets', docId(t.id), { memberId: t.memberId, claimedAt: t.claimedAt, points: t.points });
  }

  async findPayerLink(kind: PayerKind, payerId: string): Promise<PayerLinkRow | null> {
    return rowOrNull<PayerLinkRow>(await this.d.get('payer_links', docId(kind, payerId)));
  }

  async lockPayerLink(
    kind: PayerKind,
    payerId: string,
    absent: { id: string; memberId: string; at: number },
  ): Promise<PayerLinkRow> {
    const id = docId(kind, payerId);
    const found = await this.d.lock('payer_links', id);
    if (found) return rowOf<PayerLinkRow>(found);
    const row: PayerLinkRow = {
      id: absent.id,
      payerKind: kind,
      payerId,
      memberId: absent.memberId,
      status: 'pending',
      claims: 0,
      createdAt: absent.at,
      updatedAt: absent.at,
    };
    this.d.put('payer_links', id, { ...row });
    return row;
  }

  async savePayerLink(l: PayerLinkRow): Promise<void> {
    const { memberId, status, claims, updatedAt } = l;
    await this.merge('payer_links', docId(l.payerKind, l.payerId), { memberId, status, claims, updatedAt });
  }

  async insertAlert(a: NewAlert): Promise<void> {
    await this.appendRow('alerts', { ...a, status: 'open', resolvedAt: null, resolvedBy: null });
  }

  async resolveAlert(id: number, by: string, at: number): Promise<boolean> {
    const doc = await this.d.get('alerts', String(id));
    if (doc?.status !== 'open') return false;
    this.d.put('alerts', String(id), { ...doc, status: 'resolved', resolvedAt: at, resolvedBy: by });
    return true;
  }

  async findMemberByPhoneHash(hash: string): Promise<MemberRow | null> {
    const key = await this.d.get(KEY_COLLECTIONS.phones, docId(hash));
    return key ? this.getMember(String(key.ownerId)) : null;
  }

  async setMemberUnionid(memberId: string, unionid: string): Promise<void> {
    await this.merge('members', docId(memberId), { unionid });
  }

  async setMemberPhone(memberId: string, phoneEnc: string | null, phoneHash: string | null): Promise<void> {
    const member = await this.d.get('members', docId(memberId));
    if (!member) return;
    if (phoneHash !== null) {
      const key = await this.d.get(KEY_COLLECTIONS.phones, docId(phoneHash));
      if (key && key.ownerId !== memberId) throw new UniqueViolation('members.phone_hash');
      this.d.put(KEY_COLLECTIONS.phones, docId(phoneHash), { ownerId: memberId });
    }
    if (typeof member.phoneHash === 'string' && member.phoneHash !== phoneHash) {
      this.d.put(KEY_COLLECTIONS.phones, docId(member.phoneHash), null);
    }
    this.d.put('members', docId(memberId), { ...member, phoneEnc, phoneHash });
  }

  async addSubscribeCredits(memberId: string, templateId: string, credits: number, at: number): Promise<void> {
    const id = docId(memberId, templateId);
    const doc = await this.d.get('subscriptions', id);
    this.d.put('subscriptions', id, {
      memberId,
      templateId,
      credits: Number(doc?.credits ?? 0) + credits,
      updatedAt: at,
    });
  }

  async takeSubscribeCredit(memberId: string, templateId: string, at: number): Promise<boolean> {
    const id = docId(memberId, templateId);
    const doc = await this.d.get('subscriptions', id);
    if (!doc || Number(doc.credits) <= 0) return false;
    this.d.put('subscriptions', id, { ...doc, credits: Number(doc.credits) - 1, updatedAt: at });
    return true;
  }

  async claimDueOutbox(now: number, limit: number): Promise<OutboxMessage[]> {
    // Queries run outside the transaction on committed data (as dueOutbox does); writing each claimed
    // message inside it makes a concurrent claimer of the same message abort at commit.
    const query = this.d.db.collection('outbox').where({ status: 'pending', nextAt: this.d.db.command.lte(now) });
    const due = await allDocs(query.orderBy('nextAt', 'asc').orderBy('id', 'asc'), limit);
    const claimed: OutboxMessage[] = [];
    for (const found of due) {
      const doc = await this.d.get('outbox', found._id);
      if (doc?.status !== 'pending') continue;
      this.d.put('outbox', found._id, { ...doc, status: 'sending' });
      claimed.push(rowOf<OutboxMessage>({ ...doc, status: 'sending' }));
    }
    return claimed;
  }

  async markOutbox(id: number, status: OutboxMessage['status'], attempts: number, nextAt: number): Promise<void> {
    await this.merge('outbox', String(id), { status, attempts, nextAt });
  }

  async eraseMember(memberId: string, at: number): Promise<void> {
    const member = await this.d.get('members', docId(memberId));
    if (!member) return;
    const mine = (doc: Record<string, unknown>) => doc.memberId === memberId;
    const links = await this.d.query('payer_links', { memberId }, mine);
    const ids = erasableIds(
      { openid: (member.openid as string | null) ?? null, unionid: (member.unionid as string | null) ?? null },
      links.map((l) => String(l.payerId)),
    );
    const payers = ids.length ? await this.d.query('payments', { payerId: this.cmd.in(ids) }, () => true) : [];
    const payments = [...(await this.d.query('payments', { memberId }, mine)), ...payers];
    for (const p of payments) {
      this.d.put('payments', p._id, { ...p, payerKind: null, payerId: null });
      const heard = await this.d.query('notifications', { channel: p.channel, tradeNo: p.tradeNo }, () => true);
      for (const n of heard) this.d.put('notifications', n._id, { ...n, payload: eraseIn(String(n.payload), ids) });
    }
    for (const l of links) this.d.put('payer_links', l._id, null);
    for (const s of await this.d.query('subscriptions', { memberId }, mine)) this.d.put('subscriptions', s._id, null);
    for (const c of await this.d.query('pay_codes', { memberId }, mine)) this.d.put('pay_codes', c._id, null);
    for (const o of await this.d.query('outbox', { memberId }, mine)) {
      this.d.put('outbox', o._id, { ...o, payload: {}, status: o.status === 'pending' ? 'skipped' : o.status });
    }
    if (typeof member.openid === 'string') this.d.put(KEY_COLLECTIONS.openids, docId(member.openid), null);
    if (typeof member.phoneHash === 'string') this.d.put(KEY_COLLECTIONS.phones, docId(member.phoneHash), null);
    this.d.put('members', docId(memberId), {
      ...member,
      openid: null,
      unionid: null,
      phoneEnc: null,
      phoneHash: null,
      birthday: null,
      birthMd: null,
      status: 'frozen',
      erasedAt: at,
    });
  }
}

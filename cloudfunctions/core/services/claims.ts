/**
 * Scan-to-bind at checkout. Staff make a single-use ticket for an order; the
 * checkout shows it as a QR; the member scans and claims. Whichever comes
 * first, the payment notification or the claim, the points land once:
 * - payment first: it waits as an unclaimed accrual; the claim credits it;
 * - claim first: the ticket remembers the member; the payment credits them.
 * Either way the payer identity is linked to the member, so their next
 * payments accrue directly. Lock order: order → payment → ticket → member.
 */
import { present } from '../domain/assert.js';
import { randomBytes } from 'node:crypto';
import { errors } from '../domain/errors.js';
import { planCredit } from '../domain/postings.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import type { Channel, ClaimTicketRow, PaymentRow, Store, Tx } from '../store/port.js';
import { qrOf } from './code-images.js';
import { postToMember } from './posting.js';
import { assertStoreScope, type Caller } from './staff.js';

export const TICKET_TTL_MS = 24 * 3600_000;
const TICKET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud at a till

/** 16 characters (80 bits): fits a mini-program code scene (32) with room to spare. */
export function newTicketId(): string {
  return Array.from(randomBytes(16), (b) => TICKET_ALPHABET[b & 31]).join('');
}

export interface ClaimResult {
  status: 'credited' | 'waiting';
  points: number;
  /** The member's balance after the claim. */
  balance: number;
}

export class Claims {
  constructor(private readonly deps: { store: Store; clock: () => number; expiry: ExpiryPolicy; publicUrl: string }) {}

  async createTicket(caller: Caller, order: { channel: Channel; outTradeNo: string }) {
    const now = this.deps.clock();
    const ticket = await this.deps.store.transaction(async (tx) => {
      const payment = await tx.findPaymentByOrder(order.channel, order.outTradeNo);
      if (payment) assertStoreScope(caller, payment.storeId);
      if (payment?.memberId) throw errors.conflict('ALREADY_CLAIMED', "This order's points already went to a member.");
      const row: ClaimTicketRow = {
        id: newTicketId(),
        ...order,
        storeId: payment?.storeId ?? caller.storeId,
        createdBy: caller.id,
        expiresAt: now + TICKET_TTL_MS,
        memberId: null,
        claimedAt: null,
        points: null,
        createdAt: now,
      };
      await tx.insertTicket(row);
      return row;
    });
    const link = `${this.deps.publicUrl}/#/pages/claim/index?scene=${ticket.id}`;
    return {
      ticket: ticket.id,
      expiresAt: ticket.expiresAt,
      link,
      qr: await qrOf(link),
    };
  }

  async claim(memberId: string, ticketId: string): Promise<ClaimResult> {
    const peek = await this.deps.store.getTicket(ticketId);
    if (!peek) throw errors.notFound('Claim ticket');
    const now = this.deps.clock();
    const ticket = await this.deps.store.transaction(async (tx) => {
      // The order's lock first, as the payment notification takes it: the two serialize.
      await tx.lockOrder(peek.channel, peek.outTradeNo);
      const payment = await tx.findPaymentByOrder(peek.channel, peek.outTradeNo);
      const ticket = present(await tx.lockTicket(ticketId), 'a ticket read before its transaction still exists');
      if (ticket.memberId === memberId) return ticket; // a replayed claim: the same answer
      if (ticket.memberId) throw errors.conflict('ALREADY_CLAIMED', 'This ticket was already used.');
      if ((await tx.getMember(memberId))?.status === 'frozen') throw errors.memberFrozen();
      if (ticket.expiresAt <= now)
        throw errors.expired('TICKET_EXPIRED', 'This ticket has expired; ask the cashier for a new one.');
      if (payment && ticket.storeId !== null && payment.storeId !== ticket.storeId) {
        throw errors.forbidden('This ticket was made by another store than the one the order was paid at.');
      }
      Object.assign(ticket, { memberId, claimedAt: now });
      if (payment?.status === 'paid') {
        if (payment.memberId) throw errors.conflict('ALREADY_CLAIMED', "This order's points already went to a member.");
        ticket.points = await creditPayment(tx, payment, memberId, now, lotExpiry(now, this.deps.expiry), 'claim');
      }
      await tx.saveTicket(ticket);
      return ticket;
    });
    const account = await this.deps.store.getAccount(memberId);
    return {
      status: ticket.points === null ? 'waiting' : 'credited',
      points: ticket.points ?? 0,
      balance: account?.balance ?? 0,
    };
  }
}

/**
 * Gives a paid, unattributed payment's points (what is left after refunds)
 * to a member, and links the payer to them. Used by a claim, and by a
 * payment that arrives for an order a member already claimed.
 */
export async function creditPayment(
  tx: Tx,
  payment: PaymentRow,
  memberId: string,
  now: number,
  lotExpiresAt: number | null,
  kind: 'claim' | 'earn',
): Promise<number> {
  const points = payment.pointsEarned - payment.pointsClawed;
  payment.memberId = memberId;
  if (points > 0) {
    await postToMember(
      tx,
      now,
      {
        key: { source: 'claim', externalId: payment.id },
        kind,
        memberId,
        counterparty: 'issued',
        storeId: payment.storeId,
        meta: { paymentId: payment.id, outTradeNo: payment.outTradeNo },
        lotExpiresAt,
      },
      (a) => planCredit(a, points),
    );
    await tx.insertOutbox({
      topic: 'points.earned',
      memberId,
      payload: { paymentId: payment.id, points, paidFen: payment.paidFen, storeId: payment.storeId },
      createdAt: now,
    });
  }
  await tx.savePayment({ ...payment, updatedAt: now });
  if (payment.payerKind && payment.payerId) await tx.insertPayerLink(payment.payerKind, payment.payerId, memberId, now);
  return points;
}

/**
 * Scan-to-bind at checkout. Staff make a single-use ticket for an order; the
 * checkout shows it as a QR; the member scans and claims. Whichever comes
 * first, the payment notification or the claim, the points land once:
 * - payment first: it waits as an unclaimed accrual (or went to a linked
 *   member, provisionally); the claim credits the claimer;
 * - claim first: the ticket remembers the member; the payment credits them.
 * A claim always decides its order (services/order-attribution.ts), and
 * claims build the payer's link. Lock order: order → payment → ticket → link → member.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../domain/errors.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import type { Channel, ClaimTicketRow, Store } from '../store/port.js';
import { present } from '../domain/assert.js';
import { attributeByTicket, type AttributionContext } from './order-attribution.js';
import { qrOf } from './code-images.js';
import { refuseIfFrozen } from './member-status.js';
import { EVERY_TOPIC, type OutboxWriter } from './outbox-writer.js';
import type { Tiers } from './tiers.js';
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

export interface ClaimsDeps {
  store: Store;
  clock: () => number;
  expiry: ExpiryPolicy;
  publicUrl: string;
  /** Claims of one payer by one member before their payer link is active (0 = never link). */
  linkClaims: number;
  /** Which outbox messages to write; every one when absent. */
  outbox?: OutboxWriter;
  /** Growth moves with a claimed order; absent, growth is not tracked. */
  tiers?: Tiers;
}

export class Claims {
  constructor(private readonly deps: ClaimsDeps) {}

  async createTicket(caller: Caller, order: { channel: Channel; outTradeNo: string }) {
    const now = this.deps.clock();
    const ticket = await this.deps.store.transaction(async (tx) => {
      const payment = await tx.findPaymentByOrder(order.channel, order.outTradeNo);
      if (payment) assertStoreScope(caller, payment.storeId);
      // Points a payer link gave are provisional: a ticket for the order may still decide it.
      if (payment?.memberId && payment.attribution !== 'link') {
        throw errors.conflict('ALREADY_CLAIMED', "This order's points already went to a member.");
      }
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
      if (ticket.expiresAt <= now)
        throw errors.expired('TICKET_EXPIRED', 'This ticket has expired; ask the cashier for a new one.');
      await refuseIfFrozen(tx, memberId);
      if (payment && ticket.storeId !== null && payment.storeId !== ticket.storeId) {
        throw errors.forbidden('This ticket was made by another store than the one the order was paid at.');
      }
      Object.assign(ticket, { memberId, claimedAt: now });
      if (payment?.status === 'paid') {
        if (payment.memberId && payment.attribution !== 'link') {
          throw errors.conflict('ALREADY_CLAIMED', "This order's points already went to a member.");
        }
        ticket.points = await attributeByTicket(tx, payment, memberId, this.context(now));
        await tx.savePayment({ ...payment, updatedAt: now });
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

  context(now: number): AttributionContext {
    return {
      now,
      lotExpiresAt: lotExpiry(now, this.deps.expiry),
      linkClaims: this.deps.linkClaims,
      outbox: this.deps.outbox ?? EVERY_TOPIC,
      growth: this.deps.tiers
        ? (tx, memberId, delta, paidAt) => this.deps.tiers!.addGrowth(tx, memberId, delta, paidAt, now)
        : undefined,
    };
  }
}

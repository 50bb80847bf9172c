/**
 * Writes `points.changed` beside every member event, and `alert.raised`
 * beside every alert, in the same transaction, while some webhook wants it: the store services get is
 * wrapped so that each transaction's insertEvent also writes the outbox
 * row. Every posting goes through insertEvent, so no path can forget to
 * announce a change; with no webhook for the type it costs one lookup.
 */
import type { EventRow, NewAlert, NewEvent, Store, Tx } from '../store/port.js';
import type { Webhooks } from './webhooks.js';

const bound = <T extends object>(target: T, prop: string | symbol) => {
  const value = Reflect.get(target, prop, target) as unknown;
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
};

function announcing(tx: Tx, webhooks: Webhooks): Tx {
  const insertEvent = async (e: NewEvent): Promise<EventRow | null> => {
    const row = await tx.insertEvent(e);
    if (row?.memberId && webhooks.wants('points.changed')) {
      await tx.insertOutbox({
        topic: 'points.changed',
        memberId: row.memberId,
        payload: {
          memberId: row.memberId,
          eventId: row.id,
          kind: row.kind,
          delta: row.delta,
          balance: row.balanceAfter,
          storeId: row.storeId,
        },
        createdAt: row.createdAt,
      });
    }
    return row;
  };
  // Risk and reconciliation alerts, for HQ's own monitoring (a chat robot, a ticket system).
  const insertAlert = async (a: NewAlert): Promise<void> => {
    await tx.insertAlert(a);
    if (webhooks.wants('alert.raised')) {
      await tx.insertOutbox({
        topic: 'alert.raised',
        memberId: null,
        payload: { kind: a.kind, subject: a.subject, detail: a.detail },
        createdAt: a.createdAt,
      });
    }
  };
  const wrapped: Partial<Record<string | symbol, unknown>> = { insertEvent, insertAlert };
  return new Proxy(tx, { get: (t, prop) => wrapped[prop] ?? bound(t, prop) });
}

export function announcingStore(store: Store, webhooks: Webhooks): Store {
  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => store.transaction((tx) => fn(announcing(tx, webhooks)));
  return new Proxy(store, { get: (s, prop) => (prop === 'transaction' ? transaction : bound(s, prop)) });
}

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

/**
 * A proxy of `target` with some members replaced; its methods are bound
 * once per proxy, not on every call (a notification makes some twenty
 * calls on its transaction).
 */
function overriding<T extends object>(target: T, wrapped: Partial<Record<string | symbol, unknown>>): T {
  const methods = new Map<string | symbol, unknown>();
  return new Proxy(target, {
    get: (t, prop) => {
      if (prop in wrapped) return wrapped[prop];
      let method = methods.get(prop);
      if (method === undefined) {
        method = bound(t, prop);
        if (typeof method !== 'function') return method; // a field: read afresh each time
        methods.set(prop, method);
      }
      return method;
    },
  });
}

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
  return overriding(tx, { insertEvent, insertAlert });
}

export function announcingStore(store: Store, webhooks: Webhooks): Store {
  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => store.transaction((tx) => fn(announcing(tx, webhooks)));
  return overriding(store, { transaction });
}

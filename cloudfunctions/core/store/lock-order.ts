/**
 * The lock order every transaction keeps, so that two transactions can never
 * wait on each other (DESIGN "Sort before locking"):
 *
 *   order → payment → ticket → payer link → member accounts → voucher → reward stock → system shard
 *
 * and within one kind, by id. Event keys take no place in it: a key is
 * unique to one entity whose lock its transaction already holds (a member's
 * account, an order), so two transactions inserting the same key have
 * already serialized on that lock.
 *
 * checkLockOrder(store) wraps a store so that every transaction records what
 * it locks and fails with LockOrderViolation the moment a new lock comes
 * before one it holds. openStore applies it when JIFEN_CHECK_LOCK_ORDER=on,
 * which the test suites set, so every contract, API and system test checks
 * the order on every backend it runs on.
 */
import { InvariantViolation } from '../domain/assert.js';
import type { Store, Tx } from './port.js';

export const LOCK_RANKS = {
  order: 1,
  payment: 2,
  ticket: 3,
  payerLink: 4,
  account: 5,
  voucher: 6,
  reward: 7,
  shard: 8,
} as const;
type Kind = keyof typeof LOCK_RANKS;

export class LockOrderViolation extends InvariantViolation {
  override name = 'LockOrderViolation';
}

type Args = unknown[];
interface LockSpec {
  kind: Kind;
  /** The locked row's id from the call's arguments (checked before the call: a deadlock would never return). */
  before?: (args: Args) => string;
  /** ...or from its result, for the calls that find the row they lock. */
  after?: (result: unknown) => string | null;
}

const arg0 = (a: Args) => String(a[0]);
const idOf = (r: unknown) => (r && typeof r === 'object' && 'id' in r ? String((r as { id: unknown }).id) : null);

/** The Tx methods that lock (or, on CloudBase, write to lock) a row, and which row. */
const LOCKS: Partial<Record<keyof Tx, LockSpec>> = {
  lockOrder: { kind: 'order', before: (a) => `${String(a[0])}:${String(a[1])}` },
  ensurePayment: { kind: 'payment', before: arg0 },
  lockPayment: { kind: 'payment', before: arg0 },
  openPayment: { kind: 'payment', before: arg0 },
  findPaymentByOrder: { kind: 'payment', after: idOf },
  lockTicket: { kind: 'ticket', before: arg0 },
  claimedTicketForOrder: { kind: 'ticket', after: idOf },
  lockPayerLink: { kind: 'payerLink', before: (a) => `${String(a[0])}:${String(a[1])}` },
  lockAccount: { kind: 'account', before: arg0 },
  lockVoucher: { kind: 'voucher', before: arg0 },
  lockVoucherByCode: { kind: 'voucher', after: idOf },
  lockReward: { kind: 'reward', before: arg0 },
  takeStock: { kind: 'reward', before: arg0 },
  returnStock: { kind: 'reward', before: arg0 },
  addToSystemShard: { kind: 'shard', before: arg0 },
};

/** One transaction's locks, in the order taken. */
class LockLog {
  private readonly held = new Set<string>();
  private top: { rank: number; id: string; label: string } | null = null;

  take(kind: Kind, id: string): void {
    const label = `${kind} ${id}`;
    if (this.held.has(label)) return; // a lock it already holds: no new wait
    const rank = LOCK_RANKS[kind];
    const top = this.top;
    if (top && (rank < top.rank || (rank === top.rank && id < top.id))) {
      throw new LockOrderViolation(`lock order: ${label} taken after ${top.label} (${[...this.held].join(' → ')})`);
    }
    this.held.add(label);
    this.top = { rank, id, label };
  }
}

function checkedTx(tx: Tx): Tx {
  const log = new LockLog();
  return new Proxy(tx, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      const spec = LOCKS[name as keyof Tx];
      if (typeof value !== 'function' || !spec) return value;
      return async (...args: Args) => {
        if (spec.before) log.take(spec.kind, spec.before(args));
        const result: unknown = await (value as (...a: Args) => Promise<unknown>).apply(target, args);
        const id = spec.after?.(result);
        if (id) log.take(spec.kind, id);
        return result;
      };
    },
  });
}

export function checkLockOrder(store: Store): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name !== 'transaction') return Reflect.get(target, name, receiver);
      return <T>(fn: (tx: Tx) => Promise<T>) => target.transaction((tx) => fn(checkedTx(tx)));
    },
  });
}

/**
 * The ledger and payment half of the Tx port over CloudBase documents
 * (identity-tx.ts completes it). Every document is addressed by `_id`:
 * events by their idempotency key, refunds by (channel, refund key), payments
 * by channel:trade_no, so "insert if absent" is a transactional read of that
 * `_id` and a write, and two racing inserts of one key conflict at commit.
 */
import type { AccountState } from '../../domain/accounts.js';
import { pendingPayment, storedPayment } from '../records.js';
import {
  UniqueViolation,
  VersionConflict,
  type Channel,
  type EventRow,
  type HoldRow,
  type HoldStatus,
  type LotRow,
  type MemberRow,
  type NewEntry,
  type NewEvent,
  type NewLot,
  type NotificationRow,
  type OutboxRow,
  type PaymentRow,
  type RefundRow,
} from '../port.js';
import type { Doc, DocData } from './db-api.js';
import { KEY_COLLECTIONS } from './collections.js';
import { docId, ownedId, randomOrdinal, timeId } from './doc-ids.js';
import type { DocTx } from './doc-tx.js';
import { rowOf, rowOrNull } from './scan.js';

export const accountOf = (d: Doc): AccountState => ({
  id: String(d.id),
  kind: d.kind as AccountState['kind'],
  balance: Number(d.balance),
  held: Number(d.held),
  version: Number(d.version),
});

const byId = (a: { id: number | string }, b: { id: number | string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class CloudbaseLedgerTx {
  constructor(protected readonly d: DocTx) {}

  protected get cmd() {
    return this.d.db.command;
  }

  /** Writes `data` into the document with this `_id`, keeping the adapter's own `_` fields. */
  protected async merge(name: string, id: string, data: DocData): Promise<Doc | null> {
    const doc = await this.d.get(name, id);
    if (doc) this.d.put(name, id, { ...doc, ...data });
    return doc;
  }

  /** Inserts a row whose id is its `_id`; a taken id is a unique violation, as a primary key is. */
  protected async insertRow(name: string, id: string, row: object): Promise<void> {
    if (!(await this.d.create(name, docId(id), { ...row }))) throw new UniqueViolation(`${name}.id ${id}`);
  }

  /** The next id of a member's event or lot (doc-ids.ts): the sequence lives on their account document. */
  private async nextOwnedId(accountId: string): Promise<number> {
    const account = await this.d.get('accounts', docId(accountId));
    if (!account || typeof account._ordinal !== 'number') throw new Error(`${accountId} is not a member account`);
    const seq = Number(account._seq ?? 0) + 1;
    this.d.put('accounts', docId(accountId), { ...account, _seq: seq });
    return ownedId(account._ordinal, seq);
  }

  /** An append-only row with a time-ordered id as its `_id`; returns the id. */
  protected async appendRow(name: string, row: object): Promise<number> {
    for (;;) {
      const id = timeId();
      if (await this.d.create(name, String(id), { ...row, id })) return id;
    }
  }

  async findEvent(source: string, externalId: string): Promise<EventRow | null> {
    return rowOrNull<EventRow>(await this.d.get('events', docId(source, externalId)));
  }

  async getEvent(memberId: string, id: number): Promise<EventRow | null> {
    // Keyed by idempotency key, so found by query (the member_history index); immutable, so no lock.
    const [doc] = await this.d.query('events', { memberId, id }, (e) => e.memberId === memberId && e.id === id);
    return rowOrNull<EventRow>(doc);
  }

  async insertEvent(e: NewEvent): Promise<EventRow | null> {
    const key = docId(e.source, e.externalId);
    if (await this.d.get('events', key)) return null;
    if (!e.memberId) throw new Error('CloudBase events belong to a member: their ids come from the member account');
    const event: EventRow = { ...e, id: await this.nextOwnedId(e.memberId) };
    this.d.put('events', key, { ...event });
    return event;
  }

  async insertEntries(entries: NewEntry[]): Promise<void> {
    for (const e of entries) {
      // Entry ids count per account: the balance chain is checked in that order (summary.ts).
      const account = await this.d.get('accounts', docId(e.accountId));
      if (!account) throw new Error(`account ${e.accountId} does not exist`);
      const seq = Number(account._entrySeq ?? 0) + 1;
      this.d.put('accounts', docId(e.accountId), { ...account, _entrySeq: seq });
      this.d.put('entries', docId(e.accountId, seq), { ...e, id: seq });
    }
  }

  async lockAccount(id: string): Promise<AccountState | null> {
    const doc = await this.d.lock('accounts', docId(id));
    return doc ? accountOf(doc) : null;
  }

  async insertAccount(id: string, kind: AccountState['kind'], createdAt: number): Promise<void> {
    if (await this.d.get('accounts', docId(id))) return;
    const account: DocData = { id, kind, balance: 0, held: 0, version: 0, createdAt, _seq: 0, _entrySeq: 0 };
    if (kind === 'member') {
      let ordinal = randomOrdinal();
      while (!(await this.d.create(KEY_COLLECTIONS.ordinals, String(ordinal), { ownerId: id }))) {
        ordinal = randomOrdinal();
      }
      account._ordinal = ordinal;
    }
    this.d.put('accounts', docId(id), account);
  }

  async updateAccount(id: string, expectedVersion: number, balance: number, held: number): Promise<void> {
    const doc = await this.d.get('accounts', docId(id));
    if (!doc || doc.version !== expectedVersion) throw new VersionConflict(id);
    this.d.put('accounts', docId(id), { ...doc, balance, held, version: expectedVersion + 1 });
  }

  async addToSystemShard(id: string, delta: number): Promise<number> {
    const doc = await this.d.get('accounts', docId(id));
    if (!doc || doc.kind !== 'system') throw new Error(`system account ${id} does not exist (store not set up?)`);
    const balance = Number(doc.balance) + delta;
    this.d.put('accounts', docId(id), { ...doc, balance, version: Number(doc.version) + 1 });
    return balance;
  }

  async openLots(accountId: string): Promise<LotRow[]> {
    const docs = await this.d.query(
      'lots',
      { accountId, remaining: this.cmd.gt(0) },
      (l) => l.accountId === accountId && Number(l.remaining) > 0,
    );
    return docs.map((d) => rowOf<LotRow>(d)).sort(byId);
  }

  async insertLot(l: NewLot): Promise<void> {
    const id = await this.nextOwnedId(l.accountId);
    this.d.put('lots', String(id), { ...l, id });
  }

  async setLotRemaining(id: number, remaining: number): Promise<void> {
    await this.merge('lots', String(id), { remaining });
  }

  async insertHold(h: HoldRow): Promise<void> {
    await this.insertRow('holds', h.id, h);
  }

  async getHold(id: string): Promise<HoldRow | null> {
    return rowOrNull<HoldRow>(await this.d.get('holds', docId(id)));
  }

  async setHoldStatus(id: string, status: HoldStatus, updatedAt: number): Promise<void> {
    await this.merge('holds', docId(id), { status, updatedAt });
  }

  async setHoldStore(id: string, storeId: string, updatedAt: number): Promise<void> {
    await this.merge('holds', docId(id), { storeId, updatedAt });
  }

  async expiredHolds(accountId: string, now: number): Promise<HoldRow[]> {
    const docs = await this.d.query(
      'holds',
      { accountId, status: 'open', expiresAt: this.cmd.lte(now) },
      (h) => h.accountId === accountId && h.status === 'open' && Number(h.expiresAt) <= now,
    );
    return docs.map((d) => rowOf<HoldRow>(d)).sort(byId);
  }

  async ensurePayment(id: string, channel: Channel, tradeNo: string, now: number): Promise<void> {
    await this.d.create('payments', docId(id), { ...pendingPayment(id, channel, tradeNo, now) });
  }

  /** Transactions here run side by side and lock by writing: the pending row is written first, as ensurePayment. */
  async openPayment(
    id: string,
    channel: Channel,
    tradeNo: string,
    now: number,
    _orderLocked: boolean,
  ): Promise<{ row: PaymentRow; stored: boolean }> {
    return { row: await storedPayment(this, id, channel, tradeNo, now), stored: true };
  }

  async insertPayment(p: PaymentRow): Promise<void> {
    if (!(await this.d.create('payments', docId(p.id), { ...p }))) throw new VersionConflict(p.id);
  }

  async lockPayment(id: string): Promise<PaymentRow | null> {
    return rowOrNull<PaymentRow>(await this.d.lock('payments', docId(id)));
  }

  async savePayment(p: PaymentRow): Promise<void> {
    await this.merge('payments', docId(p.id), { ...p });
  }

  async insertRefund(r: RefundRow): Promise<boolean> {
    return this.d.create('refunds', docId(r.channel, r.refundKey), { ...r });
  }

  async insertNotification(n: NotificationRow): Promise<void> {
    // A platform's payload is kept as its JSON text: its keys are not ours to trust as field names.
    await this.appendRow('notifications', { ...n, payload: JSON.stringify(n.payload) });
  }

  async insertOutbox(o: OutboxRow): Promise<void> {
    await this.appendRow('outbox', { ...o, status: 'pending', attempts: 0, nextAt: o.createdAt });
  }

  async findMemberByOpenid(openid: string): Promise<MemberRow | null> {
    const key = await this.d.get(KEY_COLLECTIONS.openids, docId(openid));
    return key ? this.getMember(String(key.ownerId)) : null;
  }

  async insertMember(m: MemberRow): Promise<MemberRow | null> {
    if (await this.d.get('members', docId(m.id))) return null;
    if (m.openid !== null && !(await this.d.create(KEY_COLLECTIONS.openids, docId(m.openid), { ownerId: m.id }))) {
      return null;
    }
    this.d.put('members', docId(m.id), { ...m, phoneEnc: null, phoneHash: null });
    return m;
  }

  async getMember(id: string): Promise<MemberRow | null> {
    return rowOrNull<MemberRow>(await this.d.get('members', docId(id)));
  }

  async setMemberStatus(memberId: string, status: MemberRow['status']): Promise<void> {
    await this.merge('members', docId(memberId), { status });
  }
}

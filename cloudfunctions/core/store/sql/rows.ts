/** Row ↔ domain mapping shared by the SQL backends (snake_case columns, camelCase objects). */
import type { AccountState } from '../../domain/accounts.js';
import type { EventKind, EventRow, HoldRow, HoldStatus, LotRow, MemberRow } from '../port.js';
import type { SqlRow } from './runner.js';

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toAccount(r: SqlRow): AccountState {
  return {
    id: String(r.id),
    kind: r.kind as AccountState['kind'],
    balance: num(r.balance),
    held: num(r.held),
    version: num(r.version),
  };
}

export function toEvent(r: SqlRow): EventRow {
  return {
    id: num(r.id),
    source: String(r.source),
    externalId: String(r.external_id),
    requestHash: strOrNull(r.request_hash),
    kind: r.kind as EventKind,
    memberId: strOrNull(r.member_id),
    delta: num(r.delta),
    balanceAfter: numOrNull(r.balance_after),
    heldAfter: numOrNull(r.held_after),
    storeId: strOrNull(r.store_id),
    meta: JSON.parse(String(r.meta)) as Record<string, unknown>,
    createdAt: num(r.created_at),
  };
}

export function toLot(r: SqlRow): LotRow {
  return {
    id: num(r.id),
    accountId: String(r.account_id),
    eventId: num(r.event_id),
    amount: num(r.amount),
    remaining: num(r.remaining),
    expiresAt: numOrNull(r.expires_at),
    createdAt: num(r.created_at),
  };
}

export function toHold(r: SqlRow): HoldRow {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    amount: num(r.amount),
    status: r.status as HoldStatus,
    expiresAt: num(r.expires_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toMember(r: SqlRow): MemberRow {
  return {
    id: String(r.id),
    openid: strOrNull(r.openid),
    unionid: strOrNull(r.unionid),
    status: r.status as MemberRow['status'],
    growth: num(r.growth),
    createdAt: num(r.created_at),
  };
}

/** Row ↔ domain mapping shared by the SQL backends (snake_case columns, camelCase objects). */
import type { AccountState } from '../../domain/accounts.js';
import type {
  Channel,
  EventKind,
  EventRow,
  HoldRow,
  HoldStatus,
  LotRow,
  MemberRow,
  ClaimTicketRow,
  NotificationRow,
  OutboxMessage,
  PayerKind,
  PayerLinkRow,
  AlertRow,
  AuditEntry,
  ConfigDoc,
  ConfigKind,
  ConfigVersion,
  PaymentAttribution,
  PaymentRow,
  StaffRow,
  StoreRow,
  VoucherRow,
} from '../port.js';
import type { Reward } from '../../domain/rewards.js';
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
    storeId: strOrNull(r.store_id),
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
    phoneEnc: strOrNull(r.phone_enc),
    phoneHash: strOrNull(r.phone_hash),
    birthday: strOrNull(r.birthday),
    tier: strOrNull(r.tier),
    tierUntil: numOrNull(r.tier_until),
    referredBy: strOrNull(r.referred_by),
    erasedAt: numOrNull(r.erased_at),
  };
}

export function toConfigDoc(r: SqlRow): ConfigDoc {
  return {
    kind: r.kind as ConfigKind,
    id: String(r.id),
    version: num(r.version),
    body: JSON.parse(String(r.body)) as Record<string, unknown>,
    updatedBy: String(r.updated_by),
    updatedAt: num(r.updated_at),
  };
}

export function toConfigVersion(r: SqlRow): ConfigVersion {
  return {
    kind: r.kind as ConfigKind,
    id: String(r.id),
    version: num(r.version),
    body: JSON.parse(String(r.body)) as Record<string, unknown>,
    actor: String(r.actor),
    createdAt: num(r.created_at),
  };
}

export function toStore(r: SqlRow): StoreRow {
  return { id: String(r.id), name: String(r.name), region: String(r.region), createdAt: num(r.created_at) };
}

export function toStaff(r: SqlRow): StaffRow {
  return {
    id: String(r.id),
    name: String(r.name),
    storeId: String(r.store_id),
    role: r.role as StaffRow['role'],
    tokenHash: String(r.token_hash),
    revokedAt: numOrNull(r.revoked_at),
    createdAt: num(r.created_at),
  };
}

export function toTicket(r: SqlRow): ClaimTicketRow {
  return {
    id: String(r.id),
    channel: r.channel as Channel,
    outTradeNo: String(r.out_trade_no),
    storeId: strOrNull(r.store_id),
    createdBy: String(r.created_by),
    expiresAt: num(r.expires_at),
    memberId: strOrNull(r.member_id),
    claimedAt: numOrNull(r.claimed_at),
    points: numOrNull(r.points),
    createdAt: num(r.created_at),
  };
}

export function toOutbox(r: SqlRow): OutboxMessage {
  return {
    id: num(r.id),
    topic: String(r.topic),
    memberId: strOrNull(r.member_id),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    status: r.status as OutboxMessage['status'],
    attempts: num(r.attempts),
    nextAt: num(r.next_at),
    createdAt: num(r.created_at),
  };
}

export function toPayment(r: SqlRow): PaymentRow {
  return {
    id: String(r.id),
    channel: r.channel as Channel,
    tradeNo: String(r.trade_no),
    outTradeNo: strOrNull(r.out_trade_no),
    status: r.status as PaymentRow['status'],
    appId: strOrNull(r.app_id),
    payerKind: strOrNull(r.payer_kind) as PayerKind | null,
    payerId: strOrNull(r.payer_id),
    memberId: strOrNull(r.member_id),
    attribution: strOrNull(r.attribution) as PaymentAttribution | null,
    storeId: strOrNull(r.store_id),
    totalFen: num(r.total_fen),
    paidFen: num(r.paid_fen),
    pointsEarned: num(r.points_earned),
    refundedFen: num(r.refunded_fen),
    pointsClawed: num(r.points_clawed),
    rules: r.rules ? (JSON.parse(String(r.rules)) as PaymentRow['rules']) : null,
    paidAt: numOrNull(r.paid_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toNotification(r: SqlRow): NotificationRow & { id: number } {
  return {
    id: num(r.id),
    channel: r.channel as Channel,
    notifyId: strOrNull(r.notify_id),
    eventType: String(r.event_type),
    tradeNo: strOrNull(r.trade_no),
    refundKey: strOrNull(r.refund_key),
    amountFen: numOrNull(r.amount_fen),
    payload: JSON.parse(String(r.payload)) as unknown,
    result: String(r.result),
    receivedAt: num(r.received_at),
  };
}

export function toReward(r: SqlRow): Reward {
  return {
    id: String(r.id),
    name: String(r.name),
    kind: r.kind as Reward['kind'],
    pointsCost: num(r.points_cost),
    stock: numOrNull(r.stock),
    spec: JSON.parse(String(r.spec)) as Reward['spec'],
    active: num(r.active) === 1,
    version: num(r.version),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toVoucher(r: SqlRow): VoucherRow {
  return {
    id: String(r.id),
    code: String(r.code),
    memberId: String(r.member_id),
    rewardId: String(r.reward_id),
    eventId: num(r.event_id),
    points: num(r.points),
    status: r.status as VoucherRow['status'],
    holdId: strOrNull(r.hold_id),
    storeId: strOrNull(r.store_id),
    expiresAt: numOrNull(r.expires_at),
    usedAt: numOrNull(r.used_at),
    usedStoreId: strOrNull(r.used_store_id),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toPayerLink(r: SqlRow): PayerLinkRow {
  return {
    id: String(r.id),
    payerKind: r.payer_kind as PayerKind,
    payerId: String(r.payer_id),
    memberId: String(r.member_id),
    status: r.status as PayerLinkRow['status'],
    claims: num(r.claims),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toAuditEntry(r: SqlRow): AuditEntry {
  return {
    id: num(r.id),
    actor: String(r.actor),
    action: String(r.action),
    subject: String(r.subject),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    createdAt: num(r.created_at),
  };
}

export function toAlert(r: SqlRow): AlertRow {
  return {
    id: num(r.id),
    kind: String(r.kind),
    subject: String(r.subject),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    status: r.status as AlertRow['status'],
    createdAt: num(r.created_at),
    resolvedAt: numOrNull(r.resolved_at),
    resolvedBy: strOrNull(r.resolved_by),
  };
}

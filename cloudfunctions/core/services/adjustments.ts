/** HQ adjustments: grant (positive) or deduct (negative, never overdrawn), with a reason, exactly once per key. */
import type { EventRow } from '../store/port.js';
import type { Ledger } from './ledger.js';
import type { Posted } from './posting.js';
import { requestHash } from './request-hash.js';

export interface Adjustment {
  /** Who is adjusting; idempotency keys are scoped per caller. */
  callerId: string;
  memberId: string;
  points: number;
  reason: string;
  idempotencyKey: string;
  /** The store it is for (an open API key limited to stores); null: HQ. */
  storeId?: string | null;
}

export function adjustPoints(ledger: Ledger, a: Adjustment): Promise<Posted<EventRow>> {
  const movement = {
    key: {
      source: `admin:${a.callerId}`,
      externalId: a.idempotencyKey,
      requestHash: requestHash({ memberId: a.memberId, points: a.points, reason: a.reason }),
    },
    memberId: a.memberId,
    storeId: a.storeId ?? null,
    points: Math.abs(a.points),
    kind: 'adjust' as const,
    counterparty: 'adjusted' as const,
    meta: { reason: a.reason, by: a.callerId },
    // A frozen member earns only by paying: no grants by hand; deductions go on.
    refuseFrozen: a.points > 0,
    audit: {
      actor: a.callerId,
      action: 'member.adjust',
      subject: a.memberId,
      detail: { points: a.points, reason: a.reason },
    },
  };
  return a.points > 0 ? ledger.credit(movement) : ledger.debit(movement);
}

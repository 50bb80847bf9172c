/** Staff verify a voucher at the till: used exactly once, only at a store the reward allows. */
import { present } from '../domain/assert.js';
import { DomainError, errors } from '../domain/errors.js';
import type { Store } from '../store/port.js';
import type { Caller } from './staff.js';
import type { Webhooks } from './webhooks.js';

const refuse = (code: string, status: 403 | 409 | 410, message: string) => new DomainError(code, message, status);

export async function verifyVoucher(
  deps: { store: Store; clock: () => number; webhooks?: Pick<Webhooks, 'wants'> },
  caller: Caller,
  code: string,
): Promise<{ voucherId: string; rewardId: string; rewardName: string; points: number; usedAt: number }> {
  const now = deps.clock();
  return deps.store
    .transaction(async (tx) => {
      const v = await tx.lockVoucherByCode(code.trim().toUpperCase());
      if (!v) throw errors.notFound('Voucher');
      const reward = present(await tx.getReward(v.rewardId), "a voucher's reward exists (rewards are never deleted)");
      const stores = reward.spec.storeIds ?? [];
      if (caller.storeId !== null && stores.length > 0 && !stores.includes(caller.storeId)) {
        throw refuse('VOUCHER_WRONG_STORE', 403, 'This voucher cannot be used at this store.');
      }
      if (v.status === 'used') throw refuse('VOUCHER_USED', 409, 'This voucher was already used.');
      if (v.status === 'pending_review')
        throw errors.conflict('VOUCHER_IN_REVIEW', 'This redemption is still being reviewed.');
      if (v.status !== 'issued') throw errors.conflict('VOUCHER_VOID', `This voucher is ${v.status}.`);
      if (v.expiresAt !== null && v.expiresAt <= now) {
        await tx.saveVoucher({ ...v, status: 'expired', updatedAt: now });
        return null;
      }
      await tx.saveVoucher({ ...v, status: 'used', usedAt: now, usedStoreId: caller.storeId ?? 'HQ', updatedAt: now });
      if (deps.webhooks?.wants('voucher.used')) {
        await tx.insertOutbox({
          topic: 'voucher.used',
          memberId: v.memberId,
          payload: { voucherId: v.id, rewardId: v.rewardId, points: v.points, storeId: caller.storeId ?? 'HQ' },
          createdAt: now,
        });
      }
      return { voucherId: v.id, rewardId: v.rewardId, rewardName: reward.name, points: v.points, usedAt: now };
    })
    .then((r) => {
      // Marking it expired is kept (committed); the answer is still a refusal.
      if (!r) throw refuse('VOUCHER_EXPIRED', 410, 'This voucher has expired.');
      return r;
    });
}

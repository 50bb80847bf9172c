/** The rewards catalog: HQ creates and changes rewards; every change is audited. */
import { errors } from '../domain/errors.js';
import type { Reward, RewardSpec } from '../domain/rewards.js';
import type { Store } from '../store/port.js';
import { newId } from './ids.js';

export type RewardInput = Pick<Reward, 'name' | 'kind' | 'pointsCost' | 'stock'> & {
  spec?: RewardSpec;
  active?: boolean;
};

export class Catalog {
  constructor(private readonly deps: { store: Store; clock: () => number }) {}

  async create(actor: string, input: RewardInput): Promise<Reward> {
    const now = this.deps.clock();
    const reward: Reward = {
      id: newId('r', 10),
      name: input.name,
      kind: input.kind,
      pointsCost: input.pointsCost,
      stock: input.stock,
      spec: input.spec ?? {},
      active: input.active ?? true,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.insertReward(reward);
      await tx.insertAudit({
        actor,
        action: 'reward.create',
        subject: reward.id,
        detail: { after: reward },
        createdAt: now,
      });
    });
    return reward;
  }

  async update(actor: string, id: string, patch: Partial<RewardInput>): Promise<Reward> {
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      const before = await tx.lockReward(id);
      if (!before) throw errors.notFound('Reward');
      const after: Reward = {
        ...before,
        ...patch,
        spec: patch.spec ? { ...before.spec, ...patch.spec } : before.spec,
        version: before.version + 1,
        updatedAt: now,
      };
      await tx.saveReward(after);
      await tx.insertAudit({ actor, action: 'reward.update', subject: id, detail: { before, after }, createdAt: now });
      return after;
    });
  }
}

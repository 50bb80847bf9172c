/**
 * The poller behind the live balance stream: a watcher hears the balance at
 * once and after each change of version only; a store that fails for a while
 * delays the news without ending it; closing ends every watcher.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../cloudfunctions/core/logger.js';
import { LiveBalances, type LiveBalance } from '../../cloudfunctions/core/services/live-balances.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';

/** An account that tests move by hand, and a switch that makes reads fail (a database restarting). */
function accounts() {
  const state = { balance: 0, held: 0, version: 1, failing: false, reads: 0 };
  const store = {
    async getAccount(id: string) {
      state.reads++;
      if (state.failing) throw new Error('connection refused');
      return { id, kind: 'member', balance: state.balance, held: state.held, version: state.version };
    },
  } as unknown as Store;
  return { state, store };
}
const quiet = createLogger('error', new Writable({ write: (_c, _e, done) => done() }));
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('live balances', () => {
  it('tells a watcher at once, then on each new version only, and survives a failing store', async () => {
    const { state, store } = accounts();
    const live = new LiveBalances({ store, logger: quiet, intervalMs: 20 });
    const heard: (LiveBalance | null)[] = [];
    const stop = live.watch('m1', (b) => heard.push(b))!;
    await until(() => heard.length === 1);
    expect(heard[0]).toEqual({ balance: 0, available: 0, held: 0 });
    const reads = state.reads;
    await until(() => state.reads > reads + 3);
    expect(heard).toHaveLength(1); // reads without a change say nothing

    state.failing = true;
    await until(() => state.reads > reads + 8);
    Object.assign(state, { balance: 30, held: 10, version: 2 });
    state.failing = false;
    await until(() => heard.length === 2);
    expect(heard[1]).toEqual({ balance: 30, available: 20, held: 10 });

    stop();
    const after = state.reads;
    await new Promise((r) => setTimeout(r, 100));
    expect(state.reads).toBe(after); // nobody watching: no reads
    expect(live.watching).toBe(0);
  });

  it('limits streams per member and in all, and close ends every one', async () => {
    const { store } = accounts();
    const live = new LiveBalances({ store, logger: quiet, intervalMs: 20, perMember: 2, total: 3 });
    const ended: string[] = [];
    const on = (name: string) => (b: LiveBalance | null) => void (b === null && ended.push(name));
    expect(live.watch('a', on('a1'))).not.toBeNull();
    expect(live.watch('a', on('a2'))).not.toBeNull();
    expect(live.watch('a', on('a3'))).toBeNull();
    expect(live.watch('b', on('b1'))).not.toBeNull();
    expect(live.watch('c', on('c1'))).toBeNull(); // three in all
    live.close();
    expect(ended.sort()).toEqual(['a1', 'a2', 'b1']);
    expect(live.watch('d', on('d1'))).toBeNull();
  });
});

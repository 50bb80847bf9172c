/**
 * Console operators on every backend (they live in configuration
 * documents): a username taken once, the lockout counted in the stored
 * document across sign-ins, a session that a new password ends, and a
 * concurrent pair of wrong passwords that both count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES, Operators } from '../../cloudfunctions/core/services/operators.js';
import { openStore } from '../../cloudfunctions/core/store/open-store.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import { backends } from '../support/backends.js';

const PASS = 'plum-blossom-42';

for (const backend of backends()) {
  describe.skipIf(backend.skip)(
    `console operators on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`,
    () => {
      let store: Store;
      let ops: Operators;
      const clock = { now: Date.parse('2026-12-03T10:00:00+08:00') };
      beforeAll(async () => {
        store = await openStore(await backend.freshUrl());
        ops = new Operators({ store, clock: () => clock.now, secret: 'contract-secret-0123456789abcdef' });
      });
      afterAll(() => store?.close());

      it('creates an operator once per username and signs them in', async () => {
        const made = await ops.create('hq', { username: 'Chen', password: PASS, role: 'hq' });
        await expect(ops.create('hq', { username: 'chen', password: PASS, role: 'hq' })).rejects.toMatchObject({
          code: 'USERNAME_TAKEN',
        });
        const { token, operator } = await ops.login('CHEN', PASS);
        expect(operator.id).toBe(made.id);
        expect(await ops.authenticate(token)).toMatchObject({ id: made.id, role: 'hq' });
        expect((await ops.list()).map((o) => o.username)).toEqual(['chen']);
      });

      it('counts wrong passwords in the stored document, even two at once, and locks at the limit', async () => {
        await ops.create('hq', { username: 'lin', password: PASS, role: 'hq' });
        const wrong = () => ops.login('lin', 'not-the-password').catch((e: { code: string }) => e.code);
        expect(await Promise.all([wrong(), wrong()])).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED']);
        for (let i = 2; i < MAX_FAILURES - 1; i++) expect(await wrong()).toBe('LOGIN_FAILED');
        expect(await wrong()).toBe('ACCOUNT_LOCKED'); // the fifth, counting the pair
        await expect(ops.login('lin', PASS)).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
        clock.now += 15 * 60_000 + 1;
        expect((await ops.login('lin', PASS)).operator.username).toBe('lin');
      });

      it('ends sessions when the password changes', async () => {
        const made = await ops.create('hq', { username: 'gao', password: PASS, role: 'hq' });
        const { token } = await ops.login('gao', PASS);
        await ops.update('hq', made.id, { password: 'new-harbour-77' });
        expect(await ops.authenticate(token)).toBeNull();
        expect(await ops.authenticate((await ops.login('gao', 'new-harbour-77')).token)).not.toBeNull();
      });
    },
  );
}

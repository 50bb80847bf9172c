/** A store with the services on top and a clock the test moves, for suites that exercise the ledger. */
import { Ledger } from '../../cloudfunctions/core/services/ledger.js';
import { Members } from '../../cloudfunctions/core/services/members.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import type { HoldRow, Store } from '../../cloudfunctions/core/store/port.js';
import { verifyLedger } from '../../cloudfunctions/core/domain/verify.js';

export const T0 = Date.UTC(2026, 10, 25, 2, 0); // 10:00 in Shanghai

/** An open one-point hold on the member's account: inserted twice, a write that breaks a key. */
export const openHold = (memberId: string, id: string): HoldRow => ({
  id,
  accountId: memberId,
  amount: 1,
  status: 'open',
  expiresAt: T0 + 60_000,
  createdAt: T0,
  updatedAt: T0,
});

export interface LedgerFixture {
  store: Store;
  ledger: Ledger;
  members: Members;
  clock: { now: number };
  /** A fresh member with an account. */
  member(openid?: string): Promise<string>;
  verify(): Promise<ReturnType<typeof verifyLedger>>;
}

let seq = 0;

export function ledgerFixture(store: Store, ttlDays = 365): LedgerFixture {
  const clock = { now: T0 };
  const now = () => clock.now;
  const members = new Members({
    store,
    clock: now,
    timeZone: 'Asia/Shanghai',
    vault: new PhoneVault('test-secret-for-the-ledger-fixture-0123'),
  });
  return {
    store,
    clock,
    members,
    ledger: new Ledger({ store, clock: now, expiry: { ttlDays, timeZone: 'Asia/Shanghai' } }),
    member: async (openid = `o-${process.pid}-${++seq}-${Math.random()}`) =>
      (await members.findOrCreateByOpenid(openid)).id,
    verify: async () => verifyLedger(await store.ledgerSummary()),
  };
}

export const key = (id: string) => ({ source: 'test', externalId: id });

export const grant = (f: LedgerFixture, memberId: string, points: number, id: string) =>
  f.ledger.credit({ key: key(id), memberId, points, kind: 'adjust', counterparty: 'adjusted' });

export const spend = (f: LedgerFixture, memberId: string, points: number, id: string) =>
  f.ledger.debit({ key: key(id), memberId, points, kind: 'redeem', counterparty: 'redeemed' });

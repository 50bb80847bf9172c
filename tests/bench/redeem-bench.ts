/**
 * One-tap redemptions, direct: contended (one member, many taps at once) and
 * spread (many members). Each member is funded with exactly what the run may
 * take, so the checks can prove nothing was overdrawn or double-spent.
 */
import { Ledger } from '../../cloudfunctions/core/services/ledger.js';
import { Members } from '../../cloudfunctions/core/services/members.js';
import { PhoneVault } from '../../cloudfunctions/core/services/phones.js';
import { Catalog } from '../../cloudfunctions/core/services/catalog.js';
import { Redemptions } from '../../cloudfunctions/core/services/redemption.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import type { Checks } from './checks.js';
import { runPool, summarize, type Row } from './stats.js';

export interface RedeemSizes {
  contended: number;
  spreadMembers: number;
  spread: number;
  concurrency: number;
  maxMs: number;
}

const TIME_ZONE = 'Asia/Shanghai';

export async function benchRedeem(
  label: string,
  store: Store,
  size: RedeemSizes,
  checks: Checks,
  progress: (msg: string) => void,
): Promise<{ rows: Row[]; liability: number }> {
  const clock = Date.now;
  const ledger = new Ledger({ store, clock, expiry: { ttlDays: 365, timeZone: TIME_ZONE } });
  const members = new Members({
    store,
    clock,
    timeZone: TIME_ZONE,
    vault: new PhoneVault('bench-secret-0123456789abcdef0123456789'),
  });
  const redemptions = new Redemptions({
    store,
    clock,
    expiry: { ttlDays: 365, timeZone: TIME_ZONE },
    policy: { reviewThreshold: 0, dailyCap: 0, timeZone: TIME_ZONE },
  });
  const reward = await new Catalog({ store, clock }).create('bench', {
    name: '小礼品',
    kind: 'gift',
    pointsCost: 1,
    stock: null,
  });
  const fund = async (openid: string, points: number) => {
    const id = (await members.findOrCreateByOpenid(openid)).id;
    await ledger.credit({
      key: { source: 'bench', externalId: `fund-${openid}` },
      memberId: id,
      points,
      kind: 'adjust',
      counterparty: 'adjusted',
    });
    return id;
  };
  const opts = { concurrency: size.concurrency, maxMs: size.maxMs };
  const rows: Row[] = [];

  progress(`${label}: redemptions on one member (${size.contended}, ${size.concurrency} in flight)…`);
  const one = await fund(`bench-redeem-one-${label}`, size.contended);
  const contended = await runPool('redeem (one member)', { ...opts, count: size.contended }, (i) =>
    redemptions.redeem(one, reward.id, `one-${i}`),
  );
  rows.push(summarize(contended, 'one-tap, 1 point each'));
  const left = (await store.getAccount(one))!.balance;
  checks.add(
    `${label} contended redemptions`,
    left === size.contended - contended.ok && left >= 0,
    `${contended.ok} vouchers, balance left ${left} (expected ${size.contended - contended.ok})`,
  );

  progress(`${label}: redemptions spread over ${size.spreadMembers} members (${size.spread})…`);
  const perMember = Math.ceil(size.spread / size.spreadMembers);
  const many: string[] = [];
  for (let m = 0; m < size.spreadMembers; m++) many.push(await fund(`bench-redeem-many-${label}-${m}`, perMember));
  const spread = await runPool('redeem (many members)', { ...opts, count: size.spread }, (i) =>
    redemptions.redeem(many[i % many.length]!, reward.id, `many-${i}`),
  );
  rows.push(summarize(spread, `one-tap over ${size.spreadMembers} members`));
  let held = 0;
  for (const id of many) held += (await store.getAccount(id))!.balance;
  const expected = perMember * many.length - spread.ok;
  checks.add(
    `${label} spread redemptions`,
    held === expected,
    `members hold ${held} after ${spread.ok} vouchers (expected ${expected})`,
  );

  return { rows, liability: left + held };
}

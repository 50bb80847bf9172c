/**
 * The ledger summary verifyLedger checks, computed from the documents. A
 * document database has no GROUP BY over joins in one call, so this reads
 * the ledger's collections whole: a reconciliation job's cost, not a request's.
 */
import type { AccountSummary, LedgerSummary } from '../../domain/verify.js';
import type { CloudbaseDb, Doc } from './db-api.js';
import { allDocs } from './scan.js';
import { complete, VERIFY_DOCS_MAX } from '../limits.js';

const n = (v: unknown) => Number(v ?? 0);

export async function ledgerSummaryOf(db: CloudbaseDb): Promise<LedgerSummary> {
  const [accounts, entries, lots, holds, events] = await Promise.all(
    ['accounts', 'entries', 'lots', 'holds', 'events'].map(async (name) =>
      complete(await allDocs(db.collection(name), VERIFY_DOCS_MAX + 1), VERIFY_DOCS_MAX, `${name} to verify`),
    ),
  );
  const kinds = new Map(accounts!.map((a) => [String(a.id), String(a.kind)]));
  const sumBy = (docs: Doc[], key: string, amount: string, keep: (d: Doc) => boolean = () => true) => {
    const sums = new Map<string, number>();
    for (const d of docs) if (keep(d)) sums.set(String(d[key]), (sums.get(String(d[key])) ?? 0) + n(d[amount]));
    return sums;
  };

  // Entry ids count per account, so each account's chain is checked in its own id order.
  const chains = new Map<string, Doc[]>();
  for (const e of [...entries!].sort((a, b) => n(a.id) - n(b.id))) {
    const id = String(e.accountId);
    const chain = chains.get(id) ?? [];
    chains.set(id, chain);
    chain.push(e);
  }
  const brokenChains: LedgerSummary['brokenChains'] = [];
  for (const [accountId, chain] of chains) {
    let previous = 0;
    for (const e of chain) {
      if (n(e.balanceAfter) !== previous + n(e.amount)) brokenChains.push({ entryId: n(e.id), accountId });
      previous = n(e.balanceAfter);
    }
  }

  const entrySums = sumBy(entries!, 'accountId', 'amount');
  const lotSums = sumBy(lots!, 'accountId', 'remaining');
  const holdSums = sumBy(holds!, 'accountId', 'amount', (h) => h.status === 'open');
  const summaries: AccountSummary[] = accounts!
    .map((a) => {
      const chain = chains.get(String(a.id));
      return {
        id: String(a.id),
        kind: a.kind as AccountSummary['kind'],
        balance: n(a.balance),
        held: n(a.held),
        entrySum: entrySums.get(String(a.id)) ?? 0,
        lastBalanceAfter: chain ? n(chain[chain.length - 1]!.balanceAfter) : null,
        lotRemaining: lotSums.get(String(a.id)) ?? 0,
        openHolds: holdSums.get(String(a.id)) ?? 0,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const eventSums = sumBy(entries!, 'eventId', 'amount');
  const memberSums = sumBy(entries!, 'eventId', 'amount', (e) => kinds.get(String(e.accountId)) === 'member');
  const eventIds = [...eventSums.keys()].map(Number).sort((a, b) => a - b);
  return {
    accounts: summaries,
    unbalancedEvents: eventIds
      .filter((id) => eventSums.get(String(id)) !== 0)
      .slice(0, 100)
      .map((eventId) => ({ eventId, sum: eventSums.get(String(eventId))! })),
    brokenChains: brokenChains.slice(0, 100),
    memberDeltaMismatches: events!
      .filter((e) => n(e.delta) !== (memberSums.get(String(e.id)) ?? 0))
      .map((e) => ({ eventId: n(e.id) }))
      .sort((a, b) => a.eventId - b.eventId)
      .slice(0, 100),
  };
}

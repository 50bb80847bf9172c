/**
 * verifyLedger: the proof that stored balances are what the entries say.
 * Stores compute the per-account aggregates in SQL (cheap even for large
 * ledgers); the rules applied to them live here, once, for every backend.
 */
export interface AccountSummary {
  id: string;
  kind: 'member' | 'system';
  balance: number;
  held: number;
  /** Sum of the account's entries. */
  entrySum: number;
  /** balance_after of the account's newest entry, null when it has none. */
  lastBalanceAfter: number | null;
  /** Sum of remaining points of the account's lots. */
  lotRemaining: number;
  /** Sum of the account's open holds. */
  openHolds: number;
}

export interface LedgerSummary {
  accounts: AccountSummary[];
  /** Events whose entries do not sum to zero. */
  unbalancedEvents: Array<{ eventId: number; sum: number }>;
  /** Entries whose balance_after is not the previous balance_after plus their amount. */
  brokenChains: Array<{ entryId: number; accountId: string }>;
  /** Events whose recorded member delta differs from their member entries. */
  memberDeltaMismatches: Array<{ eventId: number }>;
}

export interface LedgerReport {
  ok: boolean;
  problems: string[];
  totals: { members: number; system: number; liability: number; accounts: number };
}

export function verifyLedger(summary: LedgerSummary): LedgerReport {
  const problems: string[] = [];
  let members = 0;
  let system = 0;
  for (const a of summary.accounts) {
    if (a.kind === 'member') members += a.balance;
    else system += a.balance;
    if (a.balance !== a.entrySum) {
      problems.push(`${a.id}: stored balance ${a.balance} but entries sum to ${a.entrySum}`);
    }
    if (a.lastBalanceAfter !== null && a.lastBalanceAfter !== a.balance) {
      problems.push(`${a.id}: newest entry says ${a.lastBalanceAfter} but balance is ${a.balance}`);
    }
    if (a.held < 0) problems.push(`${a.id}: held is negative (${a.held})`);
    if (a.kind === 'member') {
      if (a.lotRemaining !== Math.max(0, a.balance)) {
        problems.push(`${a.id}: lots hold ${a.lotRemaining} but balance is ${a.balance}`);
      }
      if (a.held !== a.openHolds) {
        problems.push(`${a.id}: held ${a.held} but open holds total ${a.openHolds}`);
      }
    }
  }
  if (members + system !== 0) problems.push(`member and system balances sum to ${members + system}, not 0`);
  for (const e of summary.unbalancedEvents) problems.push(`event ${e.eventId}: entries sum to ${e.sum}`);
  for (const e of summary.brokenChains) {
    problems.push(`entry ${e.entryId} of ${e.accountId}: balance_after does not follow the previous entry`);
  }
  for (const e of summary.memberDeltaMismatches) {
    problems.push(`event ${e.eventId}: recorded member delta differs from its entries`);
  }
  return {
    ok: problems.length === 0,
    problems,
    totals: { members, system, liability: members, accounts: summary.accounts.length },
  };
}

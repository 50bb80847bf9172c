/**
 * Named limits on what one read may return (TIGER_STYLE: every loop, page
 * and scan has a bound). Lists for people stop at their limit; reads the
 * ledger's correctness depends on (a member's open lots, a transaction's
 * query) must be complete, so they fail loudly past theirs rather than
 * compute on part of the data.
 */
import { assert } from '../domain/assert.js';

/** A merchant's stores. */
export const STORES_MAX = 2_000;
/** Till staff credentials of the stores one list covers, revoked ones included. */
export const STAFF_MAX = 5_000;
/** A catalog's rewards. */
export const REWARDS_MAX = 500;
/** Configuration documents of one kind (earning rules, ...), and versions of one document. */
export const CONFIG_DOCS_MAX = 1_000;
/** Subscribe-message templates a member holds credits for. */
export const SUBSCRIPTION_TEMPLATES_MAX = 50;
/** Notifications of one trade (a payment, its retries and refunds). */
export const NOTIFICATIONS_PER_TRADE_MAX = 500;
/** Open lots of one member: one per credit still unspent. */
export const OPEN_LOTS_MAX = 50_000;
/** Documents one query inside a CloudBase transaction may match. */
export const TX_QUERY_DOCS_MAX = 50_000;
/** Documents of one collection the in-process ledger verification reads (CloudBase). */
export const VERIFY_DOCS_MAX = 5_000_000;
/** Events a CloudBase report reads from its first day to now (the document database sums in the function). */
export const REPORT_EVENTS_MAX = 500_000;

/** Asserts a read asked for `max + 1` rows came back complete. */
export function complete<T>(rows: T[], max: number, what: string): T[] {
  assert(rows.length <= max, `${what}: more than ${max}; this read must see all of them`);
  return rows;
}

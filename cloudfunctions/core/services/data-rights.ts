/**
 * Member data rights (PIPL, DESIGN "Member data rights"): a member takes a
 * copy of everything kept about them, or asks to be erased; HQ completes
 * the erasure before a deadline in working days. Erasure anonymizes: the
 * identity goes (store port eraseMember), the remaining points go to the
 * `forfeited` system account by a normal posting, and every entry stays, so
 * the books still balance. One place for the HTTP routes and the console.
 */
import { errors } from '../domain/errors.js';
import { planDebit } from '../domain/postings.js';
import { isoInZone } from '../domain/time.js';
import { addWorkingDays } from '../domain/working-days.js';
import type { ConfigDoc, EventRow, Store } from '../store/port.js';
import { configDoc, plainDoc } from './config-docs.js';
import { consentsOf } from './consents.js';
import { historyItem } from './history.js';
import { maskPhone, type PhoneVault } from './phones.js';
import { postToMember } from './posting.js';

export interface DeletionRequest {
  id: string;
  memberId: string;
  requestedAt: number;
  dueAt: number;
  status: 'pending' | 'done';
  completedAt: number | null;
  completedBy: string | null;
  /** Points moved to `forfeited` when it was completed. */
  forfeited: number | null;
}

export interface DataRightsDeps {
  store: Store;
  clock: () => number;
  timeZone: string;
  vault: PhoneVault;
  /** The operator's holiday calendar (not working days). */
  holidays: () => Promise<ReadonlySet<string>>;
  /** Working days HQ has to complete a request (JIFEN_DELETION_WORKING_DAYS). */
  workingDays: number;
}

/** Enough for any member's whole history in one export; beyond it the export says it stopped. */
const EXPORT_EVENTS_MAX = 100_000;

const requestId = (memberId: string) => `dr_${memberId}`;

export class DataRights {
  constructor(private readonly deps: DataRightsDeps) {}

  /** Everything kept about the member, theirs to take away. */
  async exportFor(memberId: string) {
    const { store, timeZone, vault } = this.deps;
    const member = await store.getMember(memberId);
    if (!member || member.erasedAt) throw errors.notFound('Member');
    const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, timeZone));
    const phone = member.phoneEnc ? vault.decrypt(member.phoneEnc) : null;
    const [account, lots, vouchers, links, credits, consents, history, request] = await Promise.all([
      store.getAccount(memberId),
      store.openLots(memberId),
      store.memberVouchers(memberId, 1_000),
      store.memberPayerLinks(memberId, 1_000),
      store.subscribeCredits(memberId),
      consentsOf(store, memberId),
      this.allEvents(memberId),
      this.requestOf(memberId),
    ]);
    return {
      exportedAt: iso(this.deps.clock())!,
      member: {
        id: member.id,
        openid: member.openid,
        unionid: member.unionid,
        phone,
        phoneMasked: phone ? maskPhone(phone) : null,
        status: member.status,
        tier: member.tier ?? null,
        growth: member.growth,
        birthday: member.birthday ?? null,
        referredBy: member.referredBy ?? null,
        createdAt: iso(member.createdAt)!,
      },
      account: { balance: account?.balance ?? 0, held: account?.held ?? 0 },
      lots: lots.map((l) => ({ points: l.remaining, expiresAt: iso(l.expiresAt) })),
      history: history.events.map((e) => historyItem(e, timeZone)),
      historyComplete: history.complete,
      vouchers: vouchers.map((v) => ({
        id: v.id,
        code: v.code,
        rewardId: v.rewardId,
        points: v.points,
        status: v.status,
        expiresAt: iso(v.expiresAt),
        usedAt: iso(v.usedAt),
        createdAt: iso(v.createdAt)!,
      })),
      payerLinks: links.map((l) => ({
        kind: l.payerKind,
        payerId: l.payerId,
        status: l.status,
        createdAt: iso(l.createdAt)!,
      })),
      subscriptions: credits,
      consents: consents.map((c) => ({ ...c, at: iso(c.at)! })),
      deletionRequest: request,
    };
  }

  /** Asks for erasure: 202 once; asking again answers the same request. */
  async requestDeletion(memberId: string): Promise<ReturnType<DataRights['view']>> {
    const member = await this.deps.store.getMember(memberId);
    if (!member || member.erasedAt) throw errors.notFound('Member');
    const now = this.deps.clock();
    const dueAt = addWorkingDays(now, this.deps.workingDays, this.deps.timeZone, await this.deps.holidays());
    const id = requestId(memberId);
    const request = await this.deps.store.transaction(async (tx) => {
      const earlier = await tx.lockConfig('deletion_request', id);
      if (earlier) return earlier.body as unknown as DeletionRequest;
      const fresh: DeletionRequest = {
        id,
        memberId,
        requestedAt: now,
        dueAt,
        status: 'pending',
        completedAt: null,
        completedBy: null,
        forfeited: null,
      };
      await tx.putConfig(plainDoc('deletion_request', id, fresh, `member:${memberId}`, now));
      return fresh;
    });
    return this.view(request);
  }

  /** Every request, pending first (soonest due first), then done (newest first). */
  async list(status: DeletionRequest['status'] | null) {
    const docs = await this.deps.store.configDocs('deletion_request');
    const all = docs.map((d) => d.body as unknown as DeletionRequest).filter((r) => !status || r.status === status);
    all.sort((a, b) =>
      a.status !== b.status
        ? a.status === 'pending'
          ? -1
          : 1
        : a.status === 'pending'
          ? a.dueAt - b.dueAt
          : (b.completedAt ?? 0) - (a.completedAt ?? 0),
    );
    return all.map((r) => this.view(r));
  }

  /**
   * Erases the member in one transaction: their points to `forfeited`, their
   * identity gone, the request done, an audit row. Completing it again
   * answers the same. Refused while points are held (a till payment, a redemption in review).
   */
  async complete(id: string, actor: string) {
    const now = this.deps.clock();
    const done = await this.deps.store.transaction(async (tx) => {
      const doc = await tx.lockConfig('deletion_request', id);
      if (!doc) throw errors.notFound('Deletion request');
      const request = doc.body as unknown as DeletionRequest;
      if (request.status === 'done') return request;
      const account = await tx.lockAccount(request.memberId);
      if (!account) throw errors.notFound('Member');
      if (account.held > 0) {
        throw errors.conflict(
          'POINTS_HELD',
          `${account.held} points are held (a payment at a till, or a redemption under review); complete this once they are captured, released or reviewed.`,
        );
      }
      const forfeited = Math.max(0, account.balance);
      if (forfeited > 0) {
        await postToMember(
          tx,
          now,
          {
            key: { source: 'erasure', externalId: request.memberId },
            kind: 'adjust',
            memberId: request.memberId,
            counterparty: 'forfeited',
            meta: { reason: '会员注销，剩余积分作废', request: id },
          },
          (a, lots) => planDebit(a, lots, forfeited),
        );
      }
      await tx.eraseMember(request.memberId, now);
      const next: DeletionRequest = { ...request, status: 'done', completedAt: now, completedBy: actor, forfeited };
      await tx.putConfig(nextVersion(doc, next, actor, now));
      await tx.insertAudit({
        actor,
        action: 'member.erase',
        subject: request.memberId,
        detail: { request: id, forfeited, before: { balance: account.balance }, after: { balance: 0 } },
        createdAt: now,
      });
      return next;
    });
    return this.view(done);
  }

  private view(r: DeletionRequest) {
    const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, this.deps.timeZone));
    return {
      id: r.id,
      memberId: r.memberId,
      requestedAt: iso(r.requestedAt)!,
      dueAt: iso(r.dueAt)!,
      status: r.status,
      overdue: r.status === 'pending' && this.deps.clock() > r.dueAt,
      completedAt: iso(r.completedAt),
      completedBy: r.completedBy,
      forfeited: r.forfeited,
    };
  }

  /** The member's request, as the app shows it; null when they never asked. */
  async requestOf(memberId: string) {
    const request = await this.stored(memberId);
    return request ? this.view(request) : null;
  }

  private async stored(memberId: string): Promise<DeletionRequest | null> {
    const doc = await configDoc(this.deps.store, 'deletion_request', requestId(memberId));
    return (doc?.body as unknown as DeletionRequest | undefined) ?? null;
  }

  private async allEvents(memberId: string): Promise<{ events: EventRow[]; complete: boolean }> {
    const events: EventRow[] = [];
    let before: number | null = null;
    do {
      const page = await this.deps.store.history(memberId, before, 500);
      events.push(...page.items);
      before = page.nextBeforeId;
    } while (before !== null && events.length < EXPORT_EVENTS_MAX);
    return { events, complete: before === null };
  }
}

const nextVersion = (doc: ConfigDoc, body: DeletionRequest, actor: string, at: number): ConfigDoc => ({
  ...doc,
  version: doc.version + 1,
  body: body as unknown as Record<string, unknown>,
  updatedBy: actor,
  updatedAt: at,
});

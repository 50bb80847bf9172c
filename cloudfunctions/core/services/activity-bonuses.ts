/**
 * Activity bonuses as members earn them (domain/activity-bonuses.ts for
 * what each one is). Every bonus is a `bonus` event against `issued` with a
 * key that makes it once-only (the database refuses a second event with the
 * same key), refused for a frozen member, and counted in the member's
 * counters where a limit needs it. Settings are configuration documents,
 * versioned and audited like rules.
 */
import type { Blacklist } from './blacklist.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterCheckIn, dayNumber, NO_BONUSES, type ActivityBonusSettings } from '../domain/activity-bonuses.js';
import { errors, DomainError } from '../domain/errors.js';
import { localParts } from '../domain/local-time.js';
import { planCredit } from '../domain/postings.js';
import { lotExpiry, type ExpiryPolicy } from '../domain/expiry.js';
import { DuplicateEvent, type MemberRow, type Store, type Tx } from '../store/port.js';
import type { Ledger } from './ledger.js';
import { postToMember } from './posting.js';
import { refuseIfFrozen } from './member-status.js';
import type { Tiers } from './tiers.js';
import { SingletonConfig } from './config-docs.js';

const BIRTHDAY_PAGE = 100;

export interface CheckInStatus {
  checkedInToday: boolean;
  streak: number;
  /** Points a check-in gives today (0 when check-in gives nothing). */
  points: number;
  /** The next streak bonus ahead of the current run, if any. */
  nextStreak: { days: number; bonus: number } | null;
}

export class ActivityBonuses {
  private readonly config: SingletonConfig<ActivityBonusSettings>;
  /** The business day whose birthdays this process has gone through: the timer asks every few seconds. */
  private birthdaysDone: string | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      timeZone: string;
      ledger: Ledger;
      tiers: Tiers;
      expiry: ExpiryPolicy;
      /** Signs referral codes, so a code names its member and cannot be guessed from an id. */
      secret: string;
      /** Phones and openids that get no bonuses; absent, nobody is listed. */
      blacklist?: Blacklist;
    },
  ) {
    this.config = new SingletonConfig(deps, 'bonuses', 'activities', NO_BONUSES);
  }

  settings(): Promise<ActivityBonusSettings> {
    return this.config.get();
  }

  set(actor: string, settings: ActivityBonusSettings): Promise<ActivityBonusSettings> {
    return this.config.save(actor, settings);
  }

  /** At a member's first login (and harmlessly at every later one: the key is the member's). */
  async signup(memberId: string): Promise<number> {
    return this.give(memberId, 'signup', memberId, (await this.settings()).signup);
  }

  /** Once per phone number, keyed by its hash (services/phones.ts). */
  async phoneBound(memberId: string, phoneHash: string): Promise<number> {
    return this.give(memberId, 'phone', phoneHash, (await this.settings()).phone);
  }

  /**
   * Sets the birthday (MM-DD, or YYYY-MM-DD) once; a change afterwards is
   * HQ's (birthday gifts would otherwise be a date a member picks). The
   * first one earns the profile bonus.
   */
  async setBirthday(memberId: string, birthday: string): Promise<{ birthday: string; points: number }> {
    await this.deps.store.transaction(async (tx) => {
      await tx.lockAccount(memberId);
      const member = await tx.getMember(memberId);
      if (!member) throw errors.notFound('Member');
      if (member.birthday && member.birthday !== birthday) {
        throw errors.conflict('BIRTHDAY_SET', 'The birthday is already set; ask the store to correct it.');
      }
      await tx.setMemberBirthday(memberId, birthday);
    });
    return { birthday, points: await this.give(memberId, 'profile', memberId, (await this.settings()).profile) };
  }

  async checkInStatus(memberId: string): Promise<CheckInStatus> {
    const { checkin } = await this.settings();
    const today = dayNumber(localParts(this.deps.clock(), this.deps.timeZone).date);
    const c = await this.deps.store.memberCounters(memberId, ['checkin:last', 'checkin:streak']);
    const last = c['checkin:last'] ?? 0;
    const streak = last >= today - 1 ? (c['checkin:streak'] ?? 0) : 0;
    const ahead = checkin.streaks.filter((s) => s.days > streak).sort((a, b) => a.days - b.days);
    return { checkedInToday: last === today, streak, points: checkin.points, nextStreak: ahead[0] ?? null };
  }

  /** Today's check-in: once per business day (409 CHECKED_IN after), with any streak bonus it reaches. */
  async checkIn(memberId: string): Promise<{ points: number; streak: number; balance: number }> {
    const { checkin } = await this.settings();
    const now = this.deps.clock();
    const date = localParts(now, this.deps.timeZone).date;
    const today = dayNumber(date);
    return this.deps.store.transaction(async (tx) => {
      const account = await tx.lockAccount(memberId);
      if (!account) throw errors.notFound('Member');
      await refuseIfFrozen(tx, memberId); // DESIGN "Freeze": bonuses answer 403 MEMBER_FROZEN
      const member = await tx.getMember(memberId);
      if (member && (await this.listed(member))) {
        throw new DomainError(
          'BONUS_REFUSED',
          'This account receives no bonuses; ask the store if you think this is wrong.',
          403,
        );
      }
      const c = await tx.counters(memberId, ['checkin:last', 'checkin:streak']);
      if (c['checkin:last'] === today) throw errors.conflict('CHECKED_IN', 'Already checked in today.');
      const { streak, bonus } = afterCheckIn(c['checkin:last'] ?? 0, c['checkin:streak'] ?? 0, today, checkin.streaks);
      await tx.addCounters(memberId, {
        'checkin:last': today - (c['checkin:last'] ?? 0),
        'checkin:streak': streak - (c['checkin:streak'] ?? 0),
      });
      let balance = account.balance;
      for (const [what, points] of [
        ['checkin', checkin.points],
        ['checkin-streak', bonus],
      ] as const) {
        if (points <= 0) continue;
        const event = await this.post(tx, memberId, what, `${memberId}@${date}`, points, now);
        balance = event.balanceAfter ?? balance;
      }
      return { points: checkin.points + bonus, streak, balance };
    });
  }

  /** The member's own code to share: their id and a signature, so nobody can pose as a referrer by id. */
  /** My code to share, and whether I accepted someone's. */
  async referralView(memberId: string): Promise<{ code: string; referred: boolean }> {
    const m = await this.deps.store.getMember(memberId);
    return { code: this.referralCode(memberId), referred: Boolean(m?.referredBy) };
  }

  referralCode(memberId: string): string {
    return `${memberId}.${this.sign(memberId)}`;
  }

  /** A member accepts a referral code: once, never their own, only before their first payment. */
  async acceptReferral(memberId: string, code: string): Promise<{ referrer: string }> {
    const [referrer, signature] = code.split('.') as [string, string | undefined];
    const expected = referrer ? this.sign(referrer) : '';
    if (
      !referrer ||
      !signature ||
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      throw new DomainError('REFERRAL_INVALID', 'This referral code is not valid.', 400);
    }
    if (referrer === memberId) throw new DomainError('REFERRAL_SELF', 'A member cannot refer themselves.', 400);
    await this.deps.store.transaction(async (tx) => {
      await tx.lockAccount(memberId);
      const [member, other] = [await tx.getMember(memberId), await tx.getMember(referrer)];
      if (!member || !other) throw errors.notFound('Member');
      if (member.referredBy) throw errors.conflict('REFERRAL_TAKEN', 'A referral code was already accepted.');
      if ((await tx.counters(memberId, ['payments']))['payments']! > 0) {
        throw errors.conflict('REFERRAL_TOO_LATE', 'Referral codes count only before the first payment.');
      }
      await tx.setMemberReferrer(memberId, referrer);
    });
    return { referrer };
  }

  /** Whether referrals pay anything: only then does a payment need to know who referred its member. */
  async referralsOn(): Promise<boolean> {
    const { referral } = await this.settings();
    return referral.referrer > 0 || referral.referred > 0;
  }

  /**
   * Inside a payment's transaction, before any account is locked: locks the
   * member's account (and their referrer's, sorted: `referrerId` was read
   * before the lock, which is safe because it never changes once a member
   * has paid), counts the payment, and returns what to do after the
   * payment's own posting: on the first payment made with a referrer and a
   * bound phone (never paid for before), pay both sides. Those postings use
   * the member's system shard, the one the payment's posting already holds,
   * so no new shard lock comes after it.
   */
  async onPayment(
    tx: Tx,
    memberId: string,
    referrerId: string | null,
    now: number,
  ): Promise<(member: MemberRow | null) => Promise<void>> {
    for (const id of referrerId ? [memberId, referrerId].sort() : [memberId]) await tx.lockAccount(id);
    await tx.addCounters(memberId, { payments: 1 });
    return async (known) => {
      const member = known ?? (await tx.getMember(memberId));
      const referrer = member?.referredBy;
      // A frozen member's payment still accrues (they paid money); the referral waits for a later payment.
      if (!member || !referrer || referrer !== referrerId || !member.phoneHash || member.status !== 'active') return;
      const other = await tx.getMember(referrer);
      if (other?.status !== 'active' || (await this.listed(member)) || (await this.listed(other))) return;
      const { referral } = await this.settings();
      const count = (await tx.counters(referrer, ['referrals:paid']))['referrals:paid'] ?? 0;
      if (referral.perReferrerMax > 0 && count >= referral.perReferrerMax) return;
      // Once per referred phone: a second WeChat account with the same number earns nobody anything.
      const key = member.phoneHash;
      if (await tx.findEvent('bonus:referral-referred', key)) return;
      if (referral.referred > 0)
        await this.post(tx, memberId, 'referral-referred', key, referral.referred, now, memberId);
      if (referral.referrer > 0)
        await this.post(tx, referrer, 'referral-referrer', key, referral.referrer, now, memberId);
      await tx.addCounters(referrer, { 'referrals:paid': 1 });
    };
  }

  /** Today's birthdays (in JIFEN_TIMEZONE): the birthday bonus and the tier's gift, once a year each. */
  async birthdayGifts(batch = BIRTHDAY_PAGE): Promise<number> {
    const now = this.deps.clock();
    const local = localParts(now, this.deps.timeZone);
    if (this.birthdaysDone === local.date) return 0;
    const { birthday } = await this.settings();
    let given = 0;
    let after: string | null = null;
    // 29 February birthdays are kept on the 28th in other years.
    const leap = Number(local.date.slice(0, 4)) % 4 === 0;
    const days = local.monthDay === '02-28' && !leap ? ['02-28', '02-29'] : [local.monthDay];
    for (const md of days) {
      for (;;) {
        const members = await this.deps.store.membersWithBirthday(md, after, batch);
        for (const m of members) {
          const member = await this.deps.store.getMember(m);
          if (!member) continue;
          const gift = birthday + (await this.deps.tiers.held(member)).birthdayGift;
          if ((await this.give(m, 'birthday', `${m}@${local.date.slice(0, 4)}`, gift)) > 0) given++;
        }
        if (members.length < batch) break;
        after = members[members.length - 1]!;
      }
      after = null;
    }
    this.birthdaysDone = local.date;
    return given;
  }

  /** One once-only bonus in its own transaction; 0 when it was given before, the amount is 0, or refused. */
  private async give(memberId: string, what: string, key: string, points: number): Promise<number> {
    if (points <= 0) return 0;
    const member = await this.deps.store.getMember(memberId);
    if (member?.status === 'frozen') return 0; // DESIGN "Freeze": no bonuses; never a reason to refuse a login
    if (member && (await this.listed(member))) return 0;
    const posted = await this.deps.ledger.credit({
      key: { source: `bonus:${what}`, externalId: key },
      memberId,
      points,
      kind: 'bonus',
      counterparty: 'issued',
      meta: { bonus: what },
      refuseFrozen: true,
    });
    return posted.replayed ? 0 : points;
  }

  private async post(
    tx: Tx,
    memberId: string,
    what: string,
    key: string,
    points: number,
    now: number,
    shardOf?: string,
  ) {
    try {
      return await postToMember(
        tx,
        now,
        {
          key: { source: `bonus:${what}`, externalId: key },
          kind: 'bonus',
          memberId,
          counterparty: 'issued',
          meta: { bonus: what },
          lotExpiresAt: lotExpiry(now, this.deps.expiry),
          ...(shardOf ? { shardOf } : {}),
        },
        (a) => planCredit(a, points),
      );
    } catch (e) {
      if (e instanceof DuplicateEvent) throw errors.conflict('ALREADY_GIVEN', 'This bonus was already given.');
      throw e;
    }
  }

  private async listed(member: MemberRow): Promise<boolean> {
    return (await this.deps.blacklist?.covers(member)) ?? false;
  }

  private sign(memberId: string): string {
    return createHmac('sha256', this.deps.secret).update(`referral:${memberId}`).digest('base64url').slice(0, 10);
  }
}

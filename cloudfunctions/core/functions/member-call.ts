/**
 * The mini-program's `wx.cloud.callFunction({ name: 'member', data: { action, data } })`.
 * Identity is the OPENID WeChat injects into the function's context, never a
 * field the client sends: the data schemas are strict, so an `openid` or
 * `memberId` in the data is refused. The same services as the HTTP routes;
 * errors come back as the same { code, message, status }.
 */
import { refreshShared } from '../wiring.js';
import { z } from 'zod';
import { DomainError, errors } from '../domain/errors.js';
import type { Services } from '../http/context.js';
import { historyPage, MAX_PAGE } from '../services/history.js';
import {
  ClaimInput,
  PayCodeInput,
  PhoneCodeInput,
  ProfileInput,
  RedeemInput,
  ReferralInput,
  SubscriptionsInput,
} from '../services/member-inputs.js';
import type { LimitName } from '../services/rate-limits.js';
import { payCodeView, rewardView, voucherView } from '../services/reward-views.js';
import { reportAccepted, subscriptions } from '../services/subscriptions.js';
import { domainErrorOf } from '../http/errors.js';

export interface WxContext {
  OPENID?: string;
  UNIONID?: string;
}

export interface CallEvent {
  action?: unknown;
  data?: unknown;
}

export type CallResult =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string; status: number; details?: unknown } };

interface Action<S extends z.ZodTypeAny> {
  schema: S;
  /** Counted per member, as the HTTP route of the same action is (services/rate-limits.ts). */
  limit?: LimitName;
  run(s: Services, memberId: string, data: z.infer<S>): Promise<unknown>;
}
const action = <S extends z.ZodTypeAny>(a: Action<S>) => a;

const ACTIONS = {
  me: action({ schema: z.object({}).strict(), run: (s, memberId) => s.members.view(memberId) }),
  history: action({
    schema: z
      .object({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(MAX_PAGE).optional() })
      .strict(),
    run: (s, memberId, d) => historyPage(s.store, s.config.timeZone, memberId, d.cursor, d.limit),
  }),
  bindPhone: action({
    limit: 'bindPhone',
    schema: PhoneCodeInput.strict(),
    run: (s, memberId, d) => s.phoneBinding.bind(memberId, d.code),
  }),
  claim: action({
    limit: 'claim',
    schema: ClaimInput.strict(),
    run: (s, memberId, d) => s.claims.claim(memberId, d.ticket),
  }),
  rewards: action({
    schema: z.object({}).strict(),
    run: async (s) => ({ items: (await s.store.listRewards(true)).map((r) => rewardView(r, s.config.timeZone)) }),
  }),
  redeem: action({
    limit: 'redeem',
    schema: RedeemInput.strict(),
    run: async (s, memberId, d) => {
      const posted = await s.redemptions.redeem(memberId, d.rewardId, d.requestId);
      return { voucher: voucherView(posted.result, s.config.timeZone), balance: await balanceOf(s, memberId) };
    },
  }),
  vouchers: action({
    schema: z.object({}).strict(),
    run: async (s, memberId) => ({
      items: (await s.redemptions.list(memberId)).map((v) => voucherView(v, s.config.timeZone)),
    }),
  }),
  voucher: action({
    schema: z.object({ voucherId: z.string().min(1).max(64) }).strict(),
    run: async (s, memberId, d) => voucherView(await s.redemptions.one(memberId, d.voucherId), s.config.timeZone),
  }),
  cancelVoucher: action({
    schema: z.object({ voucherId: z.string().min(1).max(64) }).strict(),
    run: async (s, memberId, d) => ({
      voucher: voucherView(await s.redemptions.cancel(memberId, d.voucherId), s.config.timeZone),
      balance: await balanceOf(s, memberId),
    }),
  }),
  createPayCode: action({
    limit: 'payCode',
    schema: PayCodeInput.strict(),
    run: async (s, memberId, d) => withIso(s, await s.till.createCode(memberId, d.points ?? null)),
  }),
  refreshPayCode: action({
    limit: 'payCode',
    schema: z.object({ holdId: z.string().min(1).max(64) }).strict(),
    run: async (s, memberId, d) => withIso(s, await s.till.refresh(memberId, d.holdId)),
  }),
  voidPayCode: action({
    limit: 'payCode',
    schema: z.object({ holdId: z.string().min(1).max(64) }).strict(),
    run: (s, memberId, d) => s.till.voidOwn(memberId, d.holdId),
  }),
  payCodeStatus: action({
    schema: z.object({ holdId: z.string().min(1).max(64) }).strict(),
    run: async (s, memberId, d) => withIso(s, await s.till.status(memberId, d.holdId)),
  }),
  payerLinks: action({
    schema: z.object({}).strict(),
    run: async (s, memberId) => ({ items: await s.payerLinks.list(memberId) }),
  }),
  removePayerLink: action({
    schema: z.object({ linkId: z.string().min(1).max(64) }).strict(),
    run: async (s, memberId, d) => {
      await s.payerLinks.remove(`member:${memberId}`, d.linkId, memberId);
      return {};
    },
  }),
  subscriptions: action({
    schema: z.object({}).strict(),
    run: (s, memberId) => subscriptions(s, memberId),
  }),
  reportSubscriptions: action({
    schema: SubscriptionsInput.strict(),
    run: (s, memberId, d) => reportAccepted(s, memberId, d.accepted),
  }),
  checkInStatus: action({ schema: z.object({}).strict(), run: (s, memberId) => s.bonuses.checkInStatus(memberId) }),
  checkIn: action({ schema: z.object({}).strict(), run: (s, memberId) => s.bonuses.checkIn(memberId) }),
  tier: action({ schema: z.object({}).strict(), run: (s, memberId) => s.tiers.detail(memberId) }),
  earning: action({ schema: z.object({}).strict(), run: (s, memberId) => s.guides.forMember(memberId) }),
  referral: action({
    schema: z.object({}).strict(),
    run: (s, memberId) => s.bonuses.referralView(memberId),
  }),
  acceptReferral: action({
    schema: ReferralInput.strict(),
    run: async (s, memberId, d) => {
      await s.bonuses.acceptReferral(memberId, d.code);
      return { accepted: true };
    },
  }),
  setProfile: action({
    schema: ProfileInput.strict(),
    run: (s, memberId, d) => s.bonuses.setBirthday(memberId, d.birthday),
  }),
  // Data rights (PIPL): the same service as the HTTP routes.
  dataExport: action({
    limit: 'dataExport',
    schema: z.object({}).strict(),
    run: (s, memberId) => s.dataRights.exportFor(memberId),
  }),
  deletionRequest: action({
    schema: z.object({}).strict(),
    run: async (s, memberId) => ({ request: await s.dataRights.requestOf(memberId) }),
  }),
  requestDeletion: action({
    schema: z.object({}).strict(),
    run: (s, memberId) => s.dataRights.requestDeletion(memberId),
  }),
} as const;

const balanceOf = async (s: Services, memberId: string) => (await s.store.getAccount(memberId))?.balance ?? 0;
const withIso = <T extends { expiresAt: number }>(s: Services, v: T) => payCodeView(v, s.config.timeZone);

export const MEMBER_ACTIONS = Object.keys(ACTIONS);

export async function memberCall(s: Services, event: CallEvent, context: WxContext): Promise<CallResult> {
  try {
    if (!context.OPENID) throw errors.unauthorized('No WeChat identity: call this function from the mini-program.');
    const name = typeof event.action === 'string' ? event.action : '';
    const act = (ACTIONS as Record<string, Action<z.ZodTypeAny>>)[name];
    if (!act)
      throw new DomainError('UNKNOWN_ACTION', `No action "${name}"; try one of ${MEMBER_ACTIONS.join(', ')}.`, 404);
    const parsed = act.schema.safeParse(event.data ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw errors.validation(`${i?.path.join('.') || 'data'}: ${i?.message ?? 'invalid'}`);
    }
    await refreshShared(s); // the operator's current expiry policy and webhooks for what this call writes
    const member = await s.members.findOrCreateByOpenid(context.OPENID, context.UNIONID ?? null);
    if (act.limit) await s.limits.take(act.limit, member.id);
    return { ok: true, data: await act.run(s, member.id, parsed.data) };
  } catch (thrown) {
    const e = domainErrorOf(thrown);
    if (!e) {
      s.logger.error({ err: thrown }, 'member call failed');
      return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side.', status: 500 } };
    }
    return { ok: false, error: { code: e.code, message: e.message, status: e.status, details: e.details } };
  }
}

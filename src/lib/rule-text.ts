/**
 * The "how to earn" page's sentences, made from the rules and settings the
 * server actually applies (GET /api/member/earning), so the page can never
 * promise a rate the till does not pay.
 */
import type { ActivityBonuses, EarningGuide, GuideRule, RuleWhen } from '../api/types';
import { formatYuan, groupDigits, todayInChina } from './format';

const WEEKDAYS = ['', '一', '二', '三', '四', '五', '六', '日'];
const CHANNELS: Record<string, string> = { wechatpay: '微信支付', alipay: '支付宝', open: '门店收银' };

/** "2026-12-01" → "12月1日" (the year only when it is not this one). */
export function monthDay(date: string, thisYear = Number(todayInChina().slice(0, 4))): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y === thisYear ? '' : `${y}年`}${m}月${d}日`;
}

const rate = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** What the rule pays, in a few words: "积分 2 倍", "每元 3 积分", "额外送 10 积分", "不积分". */
export function ruleReward(r: GuideRule): string {
  const t = r.then;
  if ('multiplier' in t) return `积分 ${rate(t.multiplier)} 倍`;
  if ('pointsPerYuan' in t) return `每元 ${rate(t.pointsPerYuan)} 积分`;
  if ('bonus' in t) return `额外送 ${groupDigits(t.bonus)} 积分`;
  return '不积分';
}

/** When the rule applies, as short phrases in reading order ("每周六", "10:00–14:00", "徐汇店"). */
export function ruleConditions(w: RuleWhen, thisYear?: number): string[] {
  const out: string[] = [];
  if (w.dateFrom && w.dateTo) out.push(`${monthDay(w.dateFrom, thisYear)}至${monthDay(w.dateTo, thisYear)}`);
  else if (w.dateFrom) out.push(`${monthDay(w.dateFrom, thisYear)}起`);
  else if (w.dateTo) out.push(`至${monthDay(w.dateTo, thisYear)}`);
  if (w.weekdays?.length) out.push(`每周${w.weekdays.map((d) => WEEKDAYS[d] ?? d).join('、')}`);
  if (w.holidays === true) out.push('节假日');
  if (w.holidays === false) out.push('节假日除外');
  if (w.birthday) out.push('生日当天');
  if (w.timeFrom || w.timeTo) out.push(`${w.timeFrom ?? '00:00'}–${w.timeTo ?? '24:00'}`);
  if (w.minPaidFen && w.maxPaidFen !== undefined)
    out.push(`实付 ${formatYuan(w.minPaidFen)}–${formatYuan(w.maxPaidFen)}`);
  else if (w.minPaidFen) out.push(`实付满 ${formatYuan(w.minPaidFen)}`);
  else if (w.maxPaidFen !== undefined) out.push(`实付不超过 ${formatYuan(w.maxPaidFen)}`);
  if (w.categories?.length) out.push(`${w.categories.join('、')}类商品`);
  const stores = w.storeNames ?? w.storeIds;
  if (stores?.length) out.push(stores.join('、'));
  if (w.regions?.length) out.push(`${w.regions.join('、')}门店`);
  if (w.channels?.length) out.push(w.channels.map((c) => CHANNELS[c] ?? c).join('、'));
  if (w.tiers?.length) out.push('限指定等级会员');
  return out;
}

/** Limits a member runs into: "每单最多 500 积分". */
export function ruleCaps(r: GuideRule): string[] {
  const out: string[] = [];
  if (r.caps.perEvent !== undefined) out.push(`每单最多 ${groupDigits(r.caps.perEvent)} 积分`);
  if (r.caps.perMemberPerDay !== undefined) out.push(`每天最多 ${groupDigits(r.caps.perMemberPerDay)} 积分`);
  if (r.caps.perMemberPerMonth !== undefined) out.push(`每月最多 ${groupDigits(r.caps.perMemberPerMonth)} 积分`);
  return out;
}

export interface BonusLine {
  title: string;
  points: string;
  hint?: string;
}

/** The activity bonuses HQ turned on (an amount of 0 is off and not shown). */
export function bonusLines(b: ActivityBonuses): BonusLine[] {
  const out: BonusLine[] = [];
  const pts = (n: number) => `+${groupDigits(n)}`;
  if (b.checkin.points > 0 || b.checkin.streaks.length > 0) {
    const streaks = b.checkin.streaks.map((s) => `连续 ${s.days} 天再送 ${groupDigits(s.bonus)}`).join('，');
    out.push({ title: '每日签到', points: pts(b.checkin.points), hint: streaks || undefined });
  }
  if (b.signup > 0) out.push({ title: '注册会员', points: pts(b.signup) });
  if (b.phone > 0) out.push({ title: '绑定手机号', points: pts(b.phone) });
  if (b.profile > 0) out.push({ title: '填写生日', points: pts(b.profile) });
  if (b.birthday > 0) out.push({ title: '生日礼', points: pts(b.birthday), hint: '生日当天自动发放' });
  if (b.referral.referrer > 0 || b.referral.referred > 0) {
    out.push({
      title: '邀请好友',
      points: pts(b.referral.referrer),
      hint: `好友首次消费后发放${b.referral.referred > 0 ? `，好友也得 ${groupDigits(b.referral.referred)}` : ''}`,
    });
  }
  return out;
}

/** The expiry policy in one sentence. */
export function expiryText(e: EarningGuide['expiry']): string {
  if (e.mode === 'yearly' && e.clearOn && e.afterYears) {
    const [m, d] = e.clearOn.split('-').map(Number) as [number, number];
    return e.afterYears === 1
      ? `每年获得的积分于次年 ${m}月${d}日 过期`
      : `每年获得的积分于 ${e.afterYears} 年后的 ${m}月${d}日 过期`;
  }
  if (e.days > 0) return `积分自获得之日起 ${groupDigits(e.days)} 天内有效`;
  return '积分长期有效';
}

import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EarningGuide } from '../../src/api/types';
import Earn from '../../src/pages/earn/index';
import { answer, calls, pending, refusal } from './fake-transport';

const guide = (over: Partial<EarningGuide> = {}): EarningGuide => ({
  basePointsPerYuan: 1,
  rules: [],
  tier: { code: 'bronze', name: '铜卡会员', multiplier: 1 },
  bonuses: {
    signup: 0,
    phone: 0,
    profile: 0,
    checkin: { points: 0, streaks: [] },
    referral: { referrer: 0, referred: 0, perReferrerMax: 0 },
    birthday: 0,
  },
  expiry: { mode: 'rolling', days: 365, clearOn: null, afterYears: null },
  ...over,
});

describe('how to earn page', () => {
  it('with nothing configured shows only the base rate and the expiry: no activity HQ did not turn on', async () => {
    const p = pending<EarningGuide>();
    answer('earning', () => p.promise);
    render(<Earn />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    p.resolve(guide());
    expect(await screen.findByText('消费每 1 元')).toBeTruthy();
    expect(screen.getByText('积分自获得之日起 365 天内有效')).toBeTruthy();
    expect(screen.queryByText('进行中的活动')).toBeNull();
    expect(screen.queryByText('活动奖励')).toBeNull();
    expect(screen.queryByText(/加成/)).toBeNull();
  });

  it('describes each active rule, the bonuses, the tier multiplier and a yearly clearance', async () => {
    answer('earning', () =>
      guide({
        rules: [
          {
            id: 'r1',
            name: '周六双倍',
            when: { weekdays: [6], timeFrom: '10:00', timeTo: '14:00', storeIds: ['S1'], storeNames: ['徐汇店'] },
            then: { multiplier: 2 },
            caps: { perMemberPerDay: 1_000 },
          },
          { id: 'r2', name: '满百送十', when: { minPaidFen: 10_000 }, then: { bonus: 10 }, caps: {} },
        ],
        tier: { code: 'gold', name: '金卡会员', multiplier: 1.5 },
        bonuses: { ...guide().bonuses, checkin: { points: 5, streaks: [{ days: 7, bonus: 20 }] }, profile: 30 },
        expiry: { mode: 'yearly', days: 0, clearOn: '12-31', afterYears: 1 },
      }),
    );
    render(<Earn />);
    expect(await screen.findByText('周六双倍')).toBeTruthy();
    expect(screen.getByText('积分 2 倍')).toBeTruthy();
    expect(screen.getByText('每周六 · 10:00–14:00 · 徐汇店')).toBeTruthy();
    expect(screen.getByText('每天最多 1,000 积分')).toBeTruthy();
    expect(screen.getByText('额外送 10 积分')).toBeTruthy();
    expect(screen.getByText('实付满 ¥100.00')).toBeTruthy();
    expect(screen.getByText('金卡会员加成')).toBeTruthy();
    expect(screen.getByText('× 1.5')).toBeTruthy();
    expect(screen.getByText('每日签到')).toBeTruthy();
    expect(screen.getByText('连续 7 天再送 20')).toBeTruthy();
    expect(screen.getByText('填写生日')).toBeTruthy();
    expect(screen.queryByText('邀请好友')).toBeNull(); // 0: off
    expect(screen.getByText('每年获得的积分于次年 12月31日 过期')).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    let fail = true;
    answer('earning', () => (fail ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试')) : guide()));
    render(<Earn />);
    expect(await screen.findByText('网络不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('消费每 1 元')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'earning')).toHaveLength(2);
  });
});

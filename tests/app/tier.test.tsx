import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TierPage } from '../../src/api/types';
import TierPageView from '../../src/pages/tier/index';
import { answer, calls, pending, refusal } from './fake-transport';

const page = (over: Partial<TierPage> = {}): TierPage => ({
  current: {
    code: 'silver',
    name: '银卡会员',
    growth: 1_200,
    next: { code: 'gold', name: '金卡会员', growthNeeded: 3_800 },
  },
  heldUntil: '2027-12-03T23:59:59.999+08:00',
  periodMonths: 3,
  ladder: [
    { code: 'bronze', name: '铜卡会员', minGrowth: 0, multiplier: 1, birthdayGift: 0, benefits: [] },
    { code: 'silver', name: '银卡会员', minGrowth: 1_000, multiplier: 1.2, birthdayGift: 50, benefits: ['免费停车'] },
    { code: 'gold', name: '金卡会员', minGrowth: 5_000, multiplier: 1.5, birthdayGift: 0, benefits: [] },
  ],
  months: [
    { month: '2026-10', growth: 0 },
    { month: '2026-11', growth: 900 },
    { month: '2026-12', growth: 300 },
  ],
  ...over,
});

describe('tier page', () => {
  it('shows loading, then my tier, until when it is held, every tier’s benefits and my growth by month', async () => {
    const p = pending<TierPage>();
    answer('tier', () => p.promise);
    render(<TierPageView />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    p.resolve(page());
    expect(await screen.findByText('再获得 3,800 成长值升级为金卡会员')).toBeTruthy();
    expect(screen.getByText('银卡会员保留至 2027-12-03，届时按近 3 个月成长值重新评定')).toBeTruthy();
    expect(screen.getByText('当前等级')).toBeTruthy();
    expect(screen.getByText('消费积分 1.2 倍 · 生日礼 50 积分 · 免费停车')).toBeTruthy();
    expect(screen.getByText('消费积分 1.5 倍')).toBeTruthy();
    expect(screen.getByText('基础会员权益')).toBeTruthy(); // bronze gives nothing extra, and says so plainly
    expect(screen.getByText('成长值 5,000')).toBeTruthy();
    expect(screen.getByText('2026年11月')).toBeTruthy();
    expect(screen.getByText('900')).toBeTruthy();
    expect(screen.queryByText('2026年10月')).toBeNull(); // a month without growth is not a row
  });

  it('has an empty state for growth, and says how growth comes at the first tier', async () => {
    answer('tier', () =>
      page({
        current: {
          code: 'bronze',
          name: '铜卡会员',
          growth: 0,
          next: { code: 'silver', name: '银卡会员', growthNeeded: 1_000 },
        },
        heldUntil: null,
        months: [{ month: '2026-12', growth: 0 }],
      }),
    );
    render(<TierPageView />);
    expect(await screen.findByText('还没有成长值，消费后按实付金额累计')).toBeTruthy();
    expect(screen.getByText('成长值按近 3 个月累计，消费 1 元得 1 成长值')).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    let fail = true;
    answer('tier', () => (fail ? Promise.reject(refusal('STORE_BUSY', 503)) : page()));
    render(<TierPageView />);
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('当前等级')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'tier')).toHaveLength(2);
  });
});

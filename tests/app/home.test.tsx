import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MemberView } from '../../src/api/types';
import { member } from './fixtures';
import Home from '../../src/pages/index/index';
import { answer, calls, pending, refusal } from './fake-transport';
import { pageEvents } from './taro-shim';

describe('home page', () => {
  it('shows loading until the member arrives, then the balance as the hero number', async () => {
    const me = pending<MemberView>();
    answer('me', () => me.promise);
    render(<Home />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    me.resolve(member());
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    expect(screen.getByText('可用 1,000')).toBeTruthy();
    expect(screen.getByText('冻结 280')).toBeTruthy();
    expect(screen.getByText('再获得 700 成长值升级为银卡会员')).toBeTruthy();
    expect(screen.queryByText('加载中…')).toBeNull();
  });

  it('shows an error with retry, and retry loads again', async () => {
    let fail = true;
    answer('me', () => (fail ? Promise.reject(refusal('STORE_BUSY', 503)) : member({ balance: 5 })));
    render(<Home />);
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('5 积分')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'me')).toHaveLength(2);
  });

  it('has an empty state for a new member, and counts down to expiring points', async () => {
    const in3days = new Date(Date.now() + 2.5 * 86_400_000).toISOString();
    answer('me', () => member({ balance: 0, available: 0, held: 0, expiring: { points: 120, firstAt: in3days } }));
    render(<Home />);
    expect(await screen.findByText('还没有积分')).toBeTruthy();
    expect(screen.getByText('还有 3 天过期')).toBeTruthy();
  });

  it('pull to refresh and coming back update the balance without blanking it first', async () => {
    let balance = 100;
    const next = pending<MemberView>();
    answer('me', () => (balance === 100 ? member({ balance }) : next.promise));
    render(<Home />);
    expect(await screen.findByText('100 积分')).toBeTruthy();
    balance = 250;
    await act(async () => pageEvents.pullDownRefresh.at(-1)!());
    expect(screen.getByText('100 积分')).toBeTruthy(); // still shown while the new answer is on its way
    expect(screen.queryByText('加载中…')).toBeNull();
    await act(async () => next.resolve(member({ balance: 250 })));
    expect(await screen.findByText('250 积分')).toBeTruthy();
  });

  it('shows the masked phone once bound', async () => {
    answer('me', () => member({ phone: '138****5678' }));
    render(<Home />);
    expect(await screen.findByText('138****5678')).toBeTruthy();
  });
});

import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { POLL_FOR_MS, POLL_MS } from '../../src/lib/use-live-balance';
import type { MemberView } from '../../src/api/types';
import { member } from './fixtures';
import Home from '../../src/pages/index/index';
import { answer, calls, live, pending, refusal } from './fake-transport';
import { openPage, pageEvents, shareHandlers } from './taro-shim';

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
    expect(screen.getByText(`120 积分 3 天后过期（${in3days.slice(0, 10)}）`)).toBeTruthy();
    expect(screen.getByText('去兑换 ›')).toBeTruthy();
  });

  it('shows no expiry banner when nothing expires soon', async () => {
    answer('me', () => member());
    render(<Home />);
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    expect(screen.queryByText('去兑换 ›')).toBeNull();
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

  it('reloads quietly when the live stream pushes a new balance, and not for the one shown', async () => {
    let balance = 100;
    answer('me', () => member({ balance, available: balance, held: 0 }));
    render(<Home />);
    expect(await screen.findByText('100 积分')).toBeTruthy();
    await waitFor(() => expect(live.open).toBe(1));
    const before = calls.filter((c) => c.name === 'me').length;
    await act(async () => live.push({ balance: 100, available: 100, held: 0 }));
    expect(calls.filter((c) => c.name === 'me')).toHaveLength(before); // nothing moved

    balance = 188;
    await act(async () => live.push({ balance: 188, available: 188, held: 0 }));
    expect(await screen.findByText('188 积分')).toBeTruthy();
    expect(screen.queryByText('加载中…')).toBeNull();
    expect(calls.filter((c) => c.name === 'me')).toHaveLength(before + 1);
  });

  it('stops listening while the page is hidden and listens again when shown', async () => {
    answer('me', () => member());
    render(<Home />);
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    await waitFor(() => expect(live.open).toBe(1));
    act(() => pageEvents.didHide.forEach((f) => f()));
    await waitFor(() => expect(live.open).toBe(0));
    act(() => pageEvents.didShow.forEach((f) => f()));
    await waitFor(() => expect(live.open).toBe(1));
  });

  it('accepts the referral code of the link that opened it, once per code', async () => {
    openPage('pages/index/index?ref=R-abc');
    answer('me', () => member());
    answer('acceptReferral', () => ({ accepted: true as const }));
    const { unmount } = render(<Home />);
    await waitFor(() => expect(calls.filter((c) => c.name === 'acceptReferral')).toHaveLength(1));
    expect(calls.find((c) => c.name === 'acceptReferral')!.req).toEqual({ code: 'R-abc' });
    unmount();
    render(<Home />);
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'acceptReferral')).toHaveLength(1);
  });

  it('shares the home page with my referral code', async () => {
    answer('me', () => member());
    answer('referral', () => ({ code: 'R-mine', referred: false }));
    render(<Home />);
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    await waitFor(() => expect(shareHandlers.at(-1)!()).toMatchObject({ path: '/pages/index/index?ref=R-mine' }));
  });
});

describe('home page where no stream can be held open (the mini-program)', () => {
  it('asks every 3 s while shown, stops after 3 minutes, and picks up a payment on the way', async () => {
    const { transport } = await import('./fake-transport');
    const push = transport.live;
    delete (transport as { live?: unknown }).live;
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let balance = 100;
      answer('me', () => member({ balance, available: balance, held: 0 }));
      render(<Home />);
      expect(await screen.findByText('100 积分')).toBeTruthy();
      const asked = () => calls.filter((c) => c.name === 'me').length;
      const first = asked();
      await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS)));
      expect(asked()).toBe(first + 1); // one poll, nothing changed: no reload
      balance = 130;
      await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS)));
      expect(await screen.findByText('130 积分')).toBeTruthy();
      await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_FOR_MS)));
      const settled = asked();
      await act(async () => void (await vi.advanceTimersByTimeAsync(POLL_MS * 5)));
      expect(asked()).toBe(settled); // stopped after POLL_FOR_MS
    } finally {
      vi.useRealTimers();
      transport.live = push;
    }
  });
});

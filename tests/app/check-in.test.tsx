/** The home page's check-in card: hidden when check-in pays nothing, loading quietly, error with retry, once a day. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CheckInStatus } from '../../src/api/types';
import Home from '../../src/pages/index/index';
import { answer, calls, refusal } from './fake-transport';
import { member } from './fixtures';

const status = (s: Partial<CheckInStatus> = {}): CheckInStatus => ({
  checkedInToday: false,
  streak: 0,
  points: 5,
  nextStreak: { days: 7, bonus: 30 },
  ...s,
});

describe('check-in on the home page', () => {
  it('is not shown when a check-in pays nothing', async () => {
    answer('me', () => member());
    answer('checkInStatus', () => status({ points: 0, nextStreak: null }));
    render(<Home />);
    expect(await screen.findByText('1,280 积分')).toBeTruthy();
    await act(async () => undefined);
    expect(screen.queryByText('每日签到')).toBeNull();
  });

  it('checks in once: the button pays, the card says done, the balance reloads', async () => {
    let checked = false;
    let balance = 1280;
    answer('me', () => member({ balance }));
    answer('checkInStatus', () => (checked ? status({ checkedInToday: true, streak: 1 }) : status()));
    answer('checkIn', () => {
      checked = true;
      balance += 5;
      return { points: 5, streak: 1, balance };
    });
    render(<Home />);
    expect(await screen.findByText('签到得 5 积分，连续 7 天再得 30 积分')).toBeTruthy();
    fireEvent.click(screen.getByText('签到 +5'));
    expect(await screen.findByText('今日已签到')).toBeTruthy();
    expect(screen.getByText('已连续签到 1 天，连续 7 天再得 30 积分')).toBeTruthy();
    expect(screen.queryByText('签到 +5')).toBeNull();
    expect(await screen.findByText('1,285 积分')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'checkIn')).toHaveLength(1);
  });

  it('says why a check-in was refused', async () => {
    answer('me', () => member());
    answer('checkInStatus', () => status());
    answer('checkIn', () => Promise.reject(refusal('CHECKED_IN', 409, '今天已经签到过了')));
    render(<Home />);
    fireEvent.click(await screen.findByText('签到 +5'));
    expect(await screen.findByText('今天已经签到过了')).toBeTruthy();
  });

  it('shows an error with retry when its status cannot load, and retry loads it', async () => {
    let fail = true;
    answer('me', () => member());
    answer('checkInStatus', () => (fail ? Promise.reject(refusal('STORE_BUSY', 503)) : status()));
    render(<Home />);
    expect(await screen.findByText('签到信息暂时无法加载')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('签到 +5')).toBeTruthy();
  });

  it('is not offered to a frozen member', async () => {
    answer('me', () => member({ status: 'frozen' }));
    answer('checkInStatus', () => status());
    render(<Home />);
    expect(await screen.findByText('账户已冻结')).toBeTruthy();
    expect(screen.queryByText('签到 +5')).toBeNull();
  });
});

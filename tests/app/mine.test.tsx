import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MemberView } from '../../src/api/types';
import Mine from '../../src/pages/mine/index';
import { answer, calls, pending, refusal } from './fake-transport';
import { member } from './fixtures';

/** Picks a date in Taro's H5 <Picker>: its element fires `change` with detail.value, as a real pick does. */
async function pickDate(value: string) {
  const picker = await waitFor(() => {
    const el = document.querySelector('taro-picker-core');
    if (!el) throw new Error('no picker rendered yet');
    return el;
  });
  await act(async () => {
    picker.dispatchEvent(new CustomEvent('change', { detail: { value }, bubbles: true }));
  });
}

describe('mine page', () => {
  it('shows loading, then my tier, balance, masked phone and the way to each page', async () => {
    const me = pending<MemberView>();
    answer('me', () => me.promise);
    answer('referral', () => ({ code: 'R-me', referred: false }));
    render(<Mine />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    me.resolve(member({ phone: '138****5678' }));
    expect(await screen.findByText('积分 1,280 · 成长值 300')).toBeTruthy();
    expect(screen.getByText('138****5678 ›')).toBeTruthy();
    expect(screen.getByText('如何赚积分')).toBeTruthy();
    expect(screen.getByText('我的数据与隐私')).toBeTruthy();
    expect(await screen.findByText('复制邀请链接')).toBeTruthy(); // H5: a link, not WeChat's share sheet
  });

  it('shows an error with retry', async () => {
    let fail = true;
    answer('me', () => (fail ? Promise.reject(refusal('STORE_BUSY', 503)) : member()));
    render(<Mine />);
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('会员等级')).toBeTruthy();
  });

  it('hides the invitation when my code cannot load (nothing to share)', async () => {
    answer('me', () => member());
    answer('referral', () => Promise.reject(refusal('STORE_BUSY', 503)));
    render(<Mine />);
    expect(await screen.findByText('会员等级')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.name === 'referral')).toBe(true));
    expect(screen.queryByText('邀请好友')).toBeNull();
  });

  it('sets the birthday once: pick, confirm, saved; then it is shown and cannot be picked again', async () => {
    let birthday: string | null = null;
    answer('me', () => member({ birthday }));
    answer('setProfile', (req) => {
      birthday = req.birthday;
      return { birthday: req.birthday, points: 30 };
    });
    render(<Mine />);
    expect(await screen.findByText('填写生日，生日当天有惊喜 ›')).toBeTruthy();
    await pickDate('1990-03-15');
    expect(screen.getByText('生日保存后不能修改')).toBeTruthy();
    expect(calls.some((c) => c.name === 'setProfile')).toBe(false); // not before the confirmation
    fireEvent.click(screen.getByText('确认保存'));
    expect(await screen.findByText('1990-03-15')).toBeTruthy();
    expect(calls.find((c) => c.name === 'setProfile')!.req).toEqual({ birthday: '1990-03-15' });
    expect(document.querySelector('taro-picker-core')).toBeNull();
  });

  it('says why a birthday was refused and keeps the picked date', async () => {
    answer('me', () => member());
    answer('setProfile', () => Promise.reject(refusal('BIRTHDAY_SET', 409, '生日已设置，不能修改')));
    render(<Mine />);
    await pickDate('1990-03-15');
    fireEvent.click(await screen.findByText('确认保存'));
    expect(await screen.findByText('生日已设置，不能修改')).toBeTruthy();
    expect(screen.getByText('1990-03-15 ›')).toBeTruthy();
  });
});

import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { describe, expect, it, vi } from 'vitest';
import type { PayerLink } from '../../src/api/types';
import Links from '../../src/pages/links/index';
import Home from '../../src/pages/index/index';
import { answer, calls, pending, refusal } from './fake-transport';
import { member } from './fixtures';

const link = (over: Partial<PayerLink> = {}): PayerLink => ({
  id: 'pl_1',
  channel: 'alipay',
  payer: '2088****5135',
  status: 'active',
  claims: 3,
  claimsNeeded: 0,
  createdAt: '2026-11-20T10:00:00.000+08:00',
  updatedAt: '2026-11-28T10:00:00.000+08:00',
  ...over,
});

describe('payment accounts page', () => {
  it('shows loading, then each account with what its state means', async () => {
    const links = pending<{ items: PayerLink[] }>();
    answer('payerLinks', () => links.promise);
    render(<Links />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    links.resolve({
      items: [
        link(),
        link({ id: 'pl_2', payer: '2088****0001', status: 'pending', claims: 1, claimsNeeded: 1 }),
        link({ id: 'pl_3', channel: 'wechatpay', payer: 'wxapp:oUpF****eS6o', status: 'suspended' }),
      ],
    });
    expect(await screen.findByText('2088****5135')).toBeTruthy();
    expect(screen.getByText('用这个账户付款，积分自动到账')).toBeTruthy();
    expect(screen.getByText('再扫码领取 1 次这个账户的订单，即可自动到账')).toBeTruthy();
    expect(screen.getByText('已暂停')).toBeTruthy();
    expect(screen.getByText('微信（其他小程序）')).toBeTruthy();
    expect(screen.getByText('领取 1 次 · 最近 2026-11-28')).toBeTruthy();
  });

  it('has an empty state that says how accounts get linked', async () => {
    answer('payerLinks', () => ({ items: [] }));
    render(<Links />);
    expect(await screen.findByText('还没有关联的付款账户')).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    let fail = true;
    answer('payerLinks', () =>
      fail ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试')) : { items: [link()] },
    );
    render(<Links />);
    expect(await screen.findByText('网络不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('2088****5135')).toBeTruthy();
  });

  it('removes an account after the member confirms, then shows the list again', async () => {
    const modal = vi
      .spyOn(Taro, 'showModal')
      .mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' });
    let items = [link()];
    answer('payerLinks', () => ({ items }));
    answer('removePayerLink', () => {
      items = [];
      return null;
    });
    render(<Links />);
    fireEvent.click(await screen.findByText('解除关联'));
    expect(await screen.findByText('还没有关联的付款账户')).toBeTruthy();
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ title: '解除关联？' }));
    expect(calls.filter((c) => c.name === 'removePayerLink').map((c) => c.req)).toEqual([{ linkId: 'pl_1' }]);
    modal.mockRestore();
  });
});

describe('home page of a frozen member', () => {
  it('says the account is frozen and what still works', async () => {
    answer('me', () => member({ status: 'frozen' }));
    render(<Home />);
    expect(await screen.findByText('账户已冻结')).toBeTruthy();
    expect(screen.getByText('可以查看积分，付款仍会积分；暂不能兑换或用积分付款，请联系门店')).toBeTruthy();
  });
});

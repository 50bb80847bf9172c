import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import Claim from '../../src/pages/claim/index';
import Phone from '../../src/pages/phone/index';
import { typeInto } from './type-into';
import { answer, calls, refusal } from './fake-transport';
import { member } from './fixtures';
import { openPage } from './taro-shim';

describe('bind phone page', () => {
  it('binds (H5 sandbox: the number is the code) and shows only the masked number', async () => {
    answer('me', () => member({ phone: null }));
    answer('bindPhone', () => ({ phone: '138****5678', merged: 120, balance: 1400 }));
    render(<Phone />);
    await screen.findByPlaceholderText('手机号');
    await typeInto('手机号', '13812345678');
    fireEvent.click(screen.getByText('绑定'));
    expect(await screen.findByText('已绑定 138****5678')).toBeTruthy();
    expect(screen.getByText('已合并门店会员积分 120 积分')).toBeTruthy();
    expect(document.body.textContent).not.toContain('13812345678');
  });

  it('shows a taken number as the server words it, and stays on the form', async () => {
    answer('me', () => member({ phone: null }));
    answer('bindPhone', () => Promise.reject(refusal('PHONE_TAKEN', 409, '该手机号已绑定其他会员')));
    render(<Phone />);
    await screen.findByPlaceholderText('手机号');
    await typeInto('手机号', '13812345678');
    fireEvent.click(screen.getByText('绑定'));
    expect(await screen.findByText('该手机号已绑定其他会员')).toBeTruthy();
    expect(screen.getAllByPlaceholderText('手机号').length).toBeGreaterThan(0);
  });
});

describe('claim page', () => {
  it('claims the ticket from the scene by itself', async () => {
    openPage(`pages/claim/index?scene=${encodeURIComponent('abcd2345efgh6789')}`);
    answer('claim', () => ({ points: 66, balance: 554, status: 'credited' as const }));
    answer('subscriptions', () => ({ templates: [], credits: {} }));
    render(<Claim />);
    expect(await screen.findByText('+66 积分')).toBeTruthy();
    expect(screen.getByText('当前余额 554 积分')).toBeTruthy();
    expect(calls.find((c) => c.name === 'claim')!.req).toEqual({ ticket: 'ABCD2345EFGH6789' });
  });

  it('says when the points wait for the payment, and offers the notification prompt', async () => {
    openPage('pages/claim/index?scene=ABCD2345EFGH6789');
    answer('claim', () => ({ points: 0, balance: 0, status: 'waiting' as const }));
    answer('subscriptions', () => ({ templates: [{ topic: 'points.credited', templateId: 'tpl-1' }], credits: {} }));
    render(<Claim />);
    expect(await screen.findByText('领取成功，等待支付确认')).toBeTruthy();
    expect(await screen.findByText('开启积分到账通知')).toBeTruthy();
  });

  it('an expired or unknown ticket is final (no retry); a network failure offers one', async () => {
    openPage('pages/claim/index?scene=ABCD2345EFGH6789');
    answer('claim', () => Promise.reject(refusal('TICKET_EXPIRED', 410, '领取码已过期，请向收银员重新获取')));
    const first = render(<Claim />);
    expect(await screen.findByText('领取码已过期，请向收银员重新获取')).toBeTruthy();
    expect(screen.getByText('查看我的积分')).toBeTruthy();
    expect(screen.queryByText('重试')).toBeNull();
    first.unmount();
    answer('claim', () => Promise.reject(refusal('NOT_FOUND', 404)));
    const second = render(<Claim />);
    expect(await screen.findByText('领取码无效，请向收银员确认')).toBeTruthy();
    second.unmount();
    let fail = true;
    answer('claim', () =>
      fail
        ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试'))
        : { points: 5, balance: 5, status: 'credited' as const },
    );
    answer('subscriptions', () => ({ templates: [], credits: {} }));
    render(<Claim />);
    expect(await screen.findByText('网络不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('+5 积分')).toBeTruthy();
  });

  it('a page opened without a scene says so', async () => {
    openPage('pages/claim/index');
    render(<Claim />);
    expect(await screen.findByText('没有找到领取码')).toBeTruthy();
  });
});

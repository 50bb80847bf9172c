import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { saveStaffToken, staffToken } from '../../src/api/staff-session';
import type { StaffView } from '../../src/api/types';
import StaffCheckout from '../../src/pages/staff/checkout';
import StaffClaim from '../../src/pages/staff/claim';
import StaffHome from '../../src/pages/staff/index';
import StaffVoucher from '../../src/pages/staff/voucher';
import { typeInto } from './type-into';
import { answer, calls, refusal } from './fake-transport';

const cashier: StaffView = { id: 'st1', name: '小王', role: 'cashier', storeId: 'S001', storeName: '人民广场店' };
const TOKEN = 'staff-token-0123456789';
const signedIn = () => {
  saveStaffToken(TOKEN);
  answer('staffMe', () => cashier);
};

describe('staff pages', () => {
  it('are gated: without a token they ask for one, a bad token is refused and not kept', async () => {
    answer('staffMe', () => Promise.reject(refusal('UNAUTHORIZED', 401)));
    render(<StaffHome />);
    expect(await screen.findByText('店员登录')).toBeTruthy();
    expect(screen.queryByText('积分抵现收款')).toBeNull();
    await typeInto('店员口令', 'wrong-token-123');
    fireEvent.click(screen.getByText('登录'));
    expect(await screen.findByText('登录已失效，请重新进入')).toBeTruthy();
    expect(staffToken()).toBeNull();
  });

  it('sign in with a good token shows who is signed in and the tools', async () => {
    answer('staffMe', () => cashier);
    render(<StaffHome />);
    await typeInto('店员口令', TOKEN);
    fireEvent.click(await screen.findByText('登录'));
    expect(await screen.findByText('人民广场店 · 小王（收银员）')).toBeTruthy();
    expect(screen.getByText('积分抵现收款')).toBeTruthy();
    expect(staffToken()).toBe(TOKEN);
  });

  it('checkout captures with the bill in fen and shows what is still due', async () => {
    signedIn();
    answer('capture', (req) => ({ orderNo: req.orderNo, points: 500, discountFen: 500 }));
    render(<StaffCheckout />);
    await screen.findByText('顾客付款码');
    await typeInto('18 位付款码', '661234567890123456');
    await typeInto('例如 58.00', '25.8');
    await typeInto('收银系统的订单号', 'POS-1');
    fireEvent.click(screen.getByText('确认抵扣'));
    expect(await screen.findByText('已抵扣 ¥5.00')).toBeTruthy();
    expect(screen.getByText('还需收款 ¥20.80')).toBeTruthy();
    expect(calls.find((c) => c.name === 'capture')!.req).toEqual({
      code: '661234567890123456',
      orderNo: 'POS-1',
      amountFen: 2580,
    });
  });

  it('checkout refuses a malformed amount before calling anyone', async () => {
    signedIn();
    render(<StaffCheckout />);
    await screen.findByText('顾客付款码');
    await typeInto('例如 58.00', '12.345');
    expect(screen.getByText('请输入正确的金额，最多两位小数')).toBeTruthy();
    fireEvent.click(screen.getByText('确认抵扣'));
    expect(calls.filter((c) => c.name === 'capture')).toHaveLength(0);
  });

  it('voucher verify shows what to hand over, or the refusal', async () => {
    signedIn();
    let n = 0;
    answer('verifyVoucher', () =>
      ++n === 1
        ? Promise.reject(refusal('VOUCHER_USED', 409, '该券已使用'))
        : {
            voucherId: 'v1',
            rewardId: 'r1',
            rewardName: '招牌奶茶',
            points: 300,
            usedAt: '2026-11-25T15:04:00.000+08:00',
          },
    );
    render(<StaffVoucher />);
    await screen.findByText('兑换券码');
    await typeInto('12 位券码', 'abcd 2345 efgh');
    fireEvent.click(screen.getByText('核销'));
    expect(await screen.findByText('该券已使用')).toBeTruthy();
    fireEvent.click(screen.getByText('核销'));
    expect(await screen.findByText('请发放：招牌奶茶')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'verifyVoucher').map((c) => c.req)).toEqual([
      { code: 'ABCD2345EFGH' },
      { code: 'ABCD2345EFGH' },
    ]);
  });

  it('claim QR for an order', async () => {
    signedIn();
    answer('createClaim', () => ({
      ticket: 'VW48AJMNPX7D5MLN',
      expiresAt: '2026-11-26T15:04:00.000+08:00',
      link: 'http://x/#/pages/claim/index?scene=VW48AJMNPX7D5MLN',
      qr: 'data:image/svg+xml;base64,PHN2Zy8+',
    }));
    render(<StaffClaim />);
    fireEvent.click(await screen.findByText('支付宝'));
    await typeInto('商户订单号（小票上的订单号）', 'ORDER-9');
    fireEvent.click(screen.getByText('生成领积分码'));
    expect(await screen.findByText('请顾客扫码领取积分')).toBeTruthy();
    expect(screen.getByText('领取码 VW48AJMNPX7D5MLN · 2026-11-26 15:04 前有效')).toBeTruthy();
    expect(calls.find((c) => c.name === 'createClaim')!.req).toEqual({ channel: 'alipay', outTradeNo: 'ORDER-9' });
  });
});

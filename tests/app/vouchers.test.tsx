import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import Vouchers from '../../src/pages/vouchers/index';
import { answer, calls, refusal } from './fake-transport';
import { voucher } from './fixtures';

describe('vouchers page', () => {
  it('splits usable and past vouchers into tabs, with the QR only on usable ones', async () => {
    answer('vouchers', () => ({
      items: [
        voucher({ rewardName: '奶茶券', code: 'AAAA2222BBBB', expiresAt: '2026-12-31T23:59:59.999+08:00' }),
        voucher({ rewardName: '审核中的杯子', status: 'pending_review' }),
        voucher({ rewardName: '用过的券', status: 'used' }),
      ],
    }));
    render(<Vouchers />);
    expect(await screen.findByText('可使用（2）')).toBeTruthy();
    expect(screen.getByText('已失效（1）')).toBeTruthy();
    expect(screen.getByText('AAAA 2222 BBBB')).toBeTruthy();
    expect(screen.getByText('有效期至 2026-12-31 · 兑换于 2026-11-25')).toBeTruthy();
    expect(screen.getByText('审核中')).toBeTruthy();
    expect(screen.queryByText('用过的券')).toBeNull();
    fireEvent.click(screen.getByText('已失效（1）'));
    expect(screen.getByText('用过的券')).toBeTruthy();
    expect(screen.getByText('已使用')).toBeTruthy();
  });

  it('a list carries no QR codes: 出示券码 loads one, and a failure offers a retry', async () => {
    answer('vouchers', () => ({ items: [voucher({ id: 'v-lazy', code: 'CCCC3333DDDD', qr: null })] }));
    let fail = true;
    answer('voucher', (req) =>
      fail
        ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试'))
        : voucher({ id: req.voucherId, code: 'CCCC3333DDDD', qr: 'data:image/svg+xml;base64,PHN2Zy8+' }),
    );
    render(<Vouchers />);
    fireEvent.click(await screen.findByText('出示券码'));
    expect(await screen.findByText('网络不可用，请稍后再试，请重试')).toBeTruthy();
    expect(screen.queryByText('CCCC 3333 DDDD')).toBeNull();
    fail = false;
    fireEvent.click(screen.getByText('出示券码'));
    expect(await screen.findByText('CCCC 3333 DDDD')).toBeTruthy();
    expect(screen.queryByText('出示券码')).toBeNull();
    expect(calls.filter((c) => c.name === 'voucher').map((c) => c.req)).toEqual([
      { voucherId: 'v-lazy' },
      { voucherId: 'v-lazy' },
    ]);
  });

  it('has an empty state pointing to the rewards', async () => {
    answer('vouchers', () => ({ items: [] }));
    render(<Vouchers />);
    expect(await screen.findByText('还没有可用的券')).toBeTruthy();
    expect(screen.getByText('去兑换')).toBeTruthy();
  });
});

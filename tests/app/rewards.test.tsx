import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import Rewards from '../../src/pages/rewards/index';
import { answer, calls, refusal } from './fake-transport';
import { member, reward, voucher } from './fixtures';

describe('rewards page', () => {
  it('shows the grid with cost, stock and what is missing', async () => {
    answer('me', () => member({ available: 1000 }));
    answer('rewards', () => ({
      items: [
        reward({ name: '招牌奶茶', pointsCost: 300, stock: 20 }),
        reward({
          name: '满50减10券',
          kind: 'coupon',
          pointsCost: 500,
          stock: null,
          spec: { coupon: { type: 'amount_off', amountOffFen: 1000, thresholdFen: 5000 } },
        }),
        reward({ name: '保温杯', pointsCost: 5000, stock: 3 }),
        reward({ name: '售罄杯', pointsCost: 10, stock: 0 }),
        reward({ name: '已下架', active: false }),
      ],
    }));
    render(<Rewards />);
    expect(await screen.findByText('招牌奶茶')).toBeTruthy();
    expect(screen.getByText('剩 20 件')).toBeTruthy();
    expect(screen.getByText('满¥50.00减¥10.00')).toBeTruthy();
    expect(screen.getByText('不限量')).toBeTruthy();
    expect(screen.getByText('还差 4,000 积分')).toBeTruthy();
    expect(screen.getByText('已兑完')).toBeTruthy();
    expect(screen.queryByText('已下架')).toBeNull();
  });

  it('confirms in a sheet, redeems once, and shows the voucher QR', async () => {
    answer('me', () => member({ available: 1000 }));
    answer('rewards', () => ({ items: [reward({ id: 'tea', pointsCost: 300 })] }));
    answer('redeem', () => ({ voucher: voucher({ code: 'HXPRHF6GNUJ7' }), balance: 980 }));
    render(<Rewards />);
    fireEvent.click(await screen.findByText('招牌奶茶'));
    expect(screen.getByText('确认兑换')).toBeTruthy();
    expect(screen.getByText('700 积分')).toBeTruthy(); // left after
    fireEvent.click(screen.getByText('立即兑换'));
    expect(await screen.findByText('兑换成功')).toBeTruthy();
    expect(screen.getByText('HXPR HF6G NUJ7')).toBeTruthy();
    expect(screen.getByText('剩余 980 积分')).toBeTruthy();
    const redeems = calls.filter((c) => c.name === 'redeem');
    expect(redeems).toHaveLength(1);
    expect(redeems[0]!.req).toMatchObject({ rewardId: 'tea', requestId: expect.stringMatching(/^app-/) });
  });

  it('shows a refusal in Chinese inside the sheet, and a retry reuses the same requestId', async () => {
    answer('me', () => member({ available: 1000 }));
    answer('rewards', () => ({ items: [reward()] }));
    let n = 0;
    answer('redeem', () =>
      ++n === 1 ? Promise.reject(refusal('OUT_OF_STOCK', 409, '礼品已兑完')) : { voucher: voucher(), balance: 700 },
    );
    render(<Rewards />);
    fireEvent.click(await screen.findByText('招牌奶茶'));
    fireEvent.click(screen.getByText('立即兑换'));
    expect(await screen.findByText('礼品已兑完')).toBeTruthy();
    fireEvent.click(screen.getByText('立即兑换'));
    expect(await screen.findByText('兑换成功')).toBeTruthy();
    const ids = calls.filter((c) => c.name === 'redeem').map((c) => (c.req as { requestId: string }).requestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('has empty and error states', async () => {
    answer('me', () => member());
    answer('rewards', () => ({ items: [] }));
    const { unmount } = render(<Rewards />);
    expect(await screen.findByText('暂无可兑换的礼品')).toBeTruthy();
    unmount();
    answer('rewards', () => Promise.reject(refusal('HTTP_502', 502)));
    render(<Rewards />);
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
    expect(screen.getByText('重试')).toBeTruthy();
  });
});

import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Pay from '../../src/pages/pay/index';
import { typeInto } from './type-into';
import { answer, calls } from './fake-transport';
import { member, payCode } from './fixtures';

afterEach(() => vi.useRealTimers());

describe('pay with points page', () => {
  it('offers all available or a preset, then shows the live code with a countdown', async () => {
    answer('me', () => member({ balance: 1280, available: 1280 }));
    answer('createPayCode', (req) => payCode({ points: req.points ?? 1280 }));
    answer('payCodeStatus', () => ({
      holdId: 'h1',
      status: 'open' as const,
      points: 500,
      expiresAt: payCode().expiresAt,
    }));
    render(<Pay />);
    fireEvent.click(await screen.findByText('500'));
    fireEvent.click(screen.getByText('生成付款码'));
    expect(await screen.findByText('6612 3456 7890 1234 56')).toBeTruthy();
    expect(screen.getByText('最多抵扣 500 积分')).toBeTruthy();
    expect(screen.getByText(/^0[12]:\d\d 后自动刷新$/)).toBeTruthy();
    expect(screen.getByLabelText('付款条形码')).toBeTruthy();
    expect(calls.find((c) => c.name === 'createPayCode')!.req).toEqual({ points: 500 });
  });

  it('refuses a custom amount above what is available', async () => {
    answer('me', () => member({ available: 300 }));
    render(<Pay />);
    await screen.findByPlaceholderText('自定义积分数');
    await typeInto('自定义积分数', '301');
    expect(await screen.findByText('请输入 1 到 300 之间的积分')).toBeTruthy();
  });

  it('shows the result when the till captures, with the points used', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let balance = 1280;
    answer('me', () => member({ balance, available: balance }));
    answer('createPayCode', () => payCode({ points: 1280 }));
    let status: 'open' | 'captured' = 'open';
    answer('payCodeStatus', () => ({ holdId: 'h1', status, points: 1280, expiresAt: payCode().expiresAt }));
    render(<Pay />);
    fireEvent.click(await screen.findByText('生成付款码'));
    await screen.findByText('6612 3456 7890 1234 56');
    status = 'captured';
    balance = 780;
    await act(async () => void (await vi.advanceTimersByTimeAsync(2100)));
    expect(await screen.findByText('付款成功')).toBeTruthy();
    expect(screen.getByText('本次使用 500 积分')).toBeTruthy();
    expect(screen.getByText('剩余 780 积分')).toBeTruthy();
  });

  it('rotates the code before it expires, and says so when the till voids it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    answer('me', () => member());
    answer('createPayCode', () => payCode({ expiresAt: new Date(Date.now() + 12_000).toISOString() }));
    answer('refreshPayCode', () => payCode({ code: '669999999999999999' }));
    let status: 'open' | 'released' = 'open';
    answer('payCodeStatus', () => ({ holdId: 'h1', status, points: 500, expiresAt: payCode().expiresAt }));
    render(<Pay />);
    fireEvent.click(await screen.findByText('生成付款码'));
    await screen.findByText('6612 3456 7890 1234 56');
    await act(async () => void (await vi.advanceTimersByTimeAsync(3000)));
    expect(await screen.findByText('6699 9999 9999 9999 99')).toBeTruthy();
    expect(calls.filter((c) => c.name === 'refreshPayCode')).toHaveLength(1);
    status = 'released';
    await act(async () => void (await vi.advanceTimersByTimeAsync(2100)));
    expect(await screen.findByText('付款码已作废')).toBeTruthy();
    expect(screen.getByText('重新生成付款码')).toBeTruthy();
  });

  it('has an empty state with no points to pay', async () => {
    answer('me', () => member({ balance: 0, available: 0, held: 0 }));
    render(<Pay />);
    expect(await screen.findByText('暂无可用积分')).toBeTruthy();
  });
});

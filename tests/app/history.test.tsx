import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { shiftDay, todayInChina } from '../../src/lib/format';
import History from '../../src/pages/history/index';
import { answer, calls, refusal } from './fake-transport';
import { historyItem } from './fixtures';
import { pageEvents } from './taro-shim';

const today = todayInChina();
const at = (day: string, time = '10:00') => `${day}T${time}:00.000+08:00`;

describe('history page', () => {
  it('groups by business day with a label and icon per kind, newest first', async () => {
    answer('history', () => ({
      items: [
        historyItem({ kind: 'redeem', delta: -300, createdAt: at(today, '12:30') }),
        historyItem({ kind: 'earn', delta: 88, createdAt: at(today, '09:05') }),
        historyItem({ kind: 'expire', delta: -20, createdAt: at(shiftDay(today, -1)) }),
        historyItem({ kind: 'mystery', delta: 1, createdAt: at('2024-03-01') }),
      ],
      nextCursor: null,
    }));
    render(<History />);
    expect(await screen.findByText('今天')).toBeTruthy();
    expect(screen.getByText('昨天')).toBeTruthy();
    expect(screen.getByText('2024年3月1日')).toBeTruthy();
    expect(screen.getByText('积分兑换')).toBeTruthy();
    expect(screen.getByText('兑')).toBeTruthy();
    expect(screen.getByText('-300')).toBeTruthy();
    expect(screen.getByText('+88')).toBeTruthy();
    expect(screen.getByText('积分过期')).toBeTruthy();
    expect(screen.getByText('积分变动')).toBeTruthy(); // an unknown kind still shows
    expect(screen.getByText('没有更多了')).toBeTruthy();
  });

  it('loads the next page when the list reaches the bottom, with the cursor', async () => {
    answer('history', (req) =>
      req.cursor === 'c2'
        ? { items: [historyItem({ reason: '第二页' })], nextCursor: null }
        : { items: [historyItem({ reason: '第一页' })], nextCursor: 'c2' },
    );
    render(<History />);
    expect(await screen.findByText('消费得积分 · 第一页')).toBeTruthy();
    await act(async () => pageEvents.reachBottom.at(-1)!());
    expect(await screen.findByText('消费得积分 · 第二页')).toBeTruthy();
    expect(screen.getByText('消费得积分 · 第一页')).toBeTruthy();
    expect(calls.map((c) => c.req)).toEqual([{ limit: 20 }, { cursor: 'c2', limit: 20 }]);
    expect(screen.getByText('没有更多了')).toBeTruthy();
  });

  it('pull to refresh starts again from the first page', async () => {
    let round = 1;
    answer('history', () => ({ items: [historyItem({ reason: `第${round}次` })], nextCursor: null }));
    render(<History />);
    expect(await screen.findByText('消费得积分 · 第1次')).toBeTruthy();
    round = 2;
    await act(async () => pageEvents.pullDownRefresh.at(-1)!());
    expect(await screen.findByText('消费得积分 · 第2次')).toBeTruthy();
    expect(screen.queryByText('消费得积分 · 第1次')).toBeNull();
  });

  it('has an empty state, and an error state whose retry works', async () => {
    let fail = true;
    answer('history', () =>
      fail ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试')) : { items: [], nextCursor: null },
    );
    render(<History />);
    expect(await screen.findByText('网络不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('暂无积分记录')).toBeTruthy();
  });

  it('keeps the list when a later page fails, and offers a retry under it', async () => {
    answer('history', (req) =>
      req.cursor
        ? Promise.reject(refusal('STORE_BUSY', 503))
        : { items: [historyItem({ reason: '留着' })], nextCursor: 'c2' },
    );
    render(<History />);
    expect(await screen.findByText('消费得积分 · 留着')).toBeTruthy();
    await act(async () => pageEvents.reachBottom.at(-1)!());
    expect(await screen.findByText('服务暂时不可用，请稍后再试')).toBeTruthy();
    expect(screen.getByText('消费得积分 · 留着')).toBeTruthy();
  });
});

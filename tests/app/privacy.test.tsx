import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataExport, DeletionRequest } from '../../src/api/types';
import Privacy from '../../src/pages/privacy/index';
import { answer, calls, pending, refusal } from './fake-transport';
import { historyItem, member, voucher } from './fixtures';

const request = (over: Partial<DeletionRequest> = {}): DeletionRequest => ({
  id: 'dr_m1',
  memberId: 'm1',
  requestedAt: '2026-12-03T10:00:00.000+08:00',
  dueAt: '2026-12-24T23:59:59.999+08:00',
  status: 'pending',
  overdue: false,
  completedAt: null,
  completedBy: null,
  forfeited: null,
  ...over,
});

const dataExport = (): DataExport => ({
  exportedAt: '2026-12-03T10:05:00.000+08:00',
  member: {
    id: 'm1',
    openid: 'o-test',
    unionid: null,
    phone: '13812345678',
    phoneMasked: '138****5678',
    status: 'active',
    tier: 'bronze',
    growth: 300,
    birthday: null,
    referredBy: null,
    createdAt: '2026-11-01T10:00:00.000+08:00',
  },
  account: { balance: 1280, held: 0 },
  lots: [{ points: 1280, expiresAt: '2027-12-31T23:59:59.999+08:00' }],
  history: [historyItem(), historyItem(), historyItem()],
  historyComplete: true,
  vouchers: [voucher(), voucher()],
  payerLinks: [{ kind: 'alipay', payerId: '2088000000000001', status: 'pending' }],
  subscriptions: {},
  consents: [
    {
      purpose: 'phone',
      statement: '授权手机号：用于识别会员身份',
      templateIds: [],
      at: '2026-11-02T09:30:00.000+08:00',
    },
    {
      purpose: 'subscribe',
      statement: '订阅消息：积分变动时通知你',
      templateIds: ['t1', 't2'],
      at: '2026-11-03T08:00:00.000+08:00',
    },
  ],
  deletionRequest: null,
});

/** jsdom's Blob has no text(): read it as a browser without it would. */
const blobText = (b: Blob) =>
  new Promise<string>((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.readAsText(b);
  });

const confirmModal = (confirm: boolean) =>
  vi.spyOn(Taro, 'showModal').mockResolvedValue({ confirm, cancel: !confirm, errMsg: 'showModal:ok' });

afterEach(() => vi.restoreAllMocks());

describe('my data and privacy page', () => {
  it('shows loading, then exports: the counts, the consents, and a download named after the member', async () => {
    const first = pending<{ request: DeletionRequest | null }>();
    answer('deletionRequest', () => first.promise);
    answer('me', () => member());
    const exported = dataExport();
    answer('dataExport', () => exported);
    render(<Privacy />);
    expect(screen.getByText('加载中…')).toBeTruthy();
    first.resolve({ request: null });
    expect(await screen.findByText('导出数据后，在这里查看你同意过的授权')).toBeTruthy();

    fireEvent.click(screen.getByText('导出我的数据'));
    expect(await screen.findByText('138****5678')).toBeTruthy();
    expect(screen.getByText('3 条')).toBeTruthy();
    expect(screen.getByText('2 张')).toBeTruthy();
    expect(screen.getByText('1 个')).toBeTruthy();
    expect(screen.getByText('2 条')).toBeTruthy();
    expect(screen.getByText('手机号授权')).toBeTruthy();
    expect(screen.getByText('2026-11-02 09:30')).toBeTruthy();
    expect(screen.getByText('授权手机号：用于识别会员身份')).toBeTruthy();
    expect(screen.getByText('消息模板 2 个')).toBeTruthy();
    // The full phone is in the file, never on the screen.
    expect(document.body.textContent).not.toContain('13812345678');

    // jsdom has no object URLs: record the blob and the link clicked.
    let saved: Blob | null = null;
    URL.createObjectURL = vi.fn((b: Blob) => ((saved = b), 'blob:export'));
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    expect(screen.getByText('jifen-m1.json')).toBeTruthy();
    fireEvent.click(screen.getByText('下载文件'));
    expect(click).toHaveBeenCalledTimes(1);
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('jifen-m1.json');
    expect(JSON.parse(await blobText(saved!))).toEqual(exported);
  });

  it('says when the export was refused (5 a minute) and keeps the button', async () => {
    answer('deletionRequest', () => ({ request: null }));
    answer('me', () => member());
    answer('dataExport', () => Promise.reject(refusal('RATE_LIMITED', 429, '操作太频繁，请 1 分钟后再试')));
    render(<Privacy />);
    fireEvent.click(await screen.findByText('导出我的数据'));
    expect(await screen.findByText('操作太频繁，请 1 分钟后再试')).toBeTruthy();
    expect(screen.getByText('导出我的数据')).toBeTruthy();
  });

  it('shows an error with retry', async () => {
    let fail = true;
    answer('deletionRequest', () =>
      fail ? Promise.reject(refusal('NETWORK', 0, '网络不可用，请稍后再试')) : { request: null },
    );
    answer('me', () => member());
    render(<Privacy />);
    expect(await screen.findByText('网络不可用，请稍后再试')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    expect(await screen.findByText('申请注销会员')).toBeTruthy();
  });

  it('asks for deletion only after the confirmation, then shows it in progress with the due date', async () => {
    answer('deletionRequest', () => ({ request: null }));
    answer('me', () => member({ balance: 1280 }));
    answer('requestDeletion', () => request());
    const modal = confirmModal(false);
    render(<Privacy />);
    fireEvent.click(await screen.findByText('申请注销会员'));
    await vi.waitFor(() => expect(modal).toHaveBeenCalledTimes(1));
    expect(modal.mock.calls[0]![0]).toMatchObject({ content: expect.stringContaining('剩余 1,280 积分将作废') });
    expect(calls.some((c) => c.name === 'requestDeletion')).toBe(false);

    modal.mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' });
    fireEvent.click(screen.getByText('申请注销会员'));
    expect(await screen.findByText('处理中')).toBeTruthy();
    expect(screen.getByText('2026-12-24')).toBeTruthy();
    expect(screen.getByText('2026-12-03')).toBeTruthy();
    expect(screen.queryByText('申请注销会员')).toBeNull();
    expect(calls.filter((c) => c.name === 'requestDeletion')).toHaveLength(1);
  });

  it('reads a request made earlier when the page opens, and marks it overdue', async () => {
    answer('deletionRequest', () => ({ request: request({ overdue: true }) }));
    answer('me', () => member());
    render(<Privacy />);
    expect(await screen.findByText('处理中 · 已超过截止日期')).toBeTruthy();
    expect(screen.getByText('2026-12-24')).toBeTruthy();
    expect(screen.queryByText('申请注销会员')).toBeNull();
  });
});

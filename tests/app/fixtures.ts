/** Wire-shaped answers for component tests, in the shapes src/api/types.ts declares. */
import type { HistoryItem, MemberView, PayCode, Reward, Voucher } from '../../src/api/types';

export const member = (over: Partial<MemberView> = {}): MemberView => ({
  id: 'm1',
  balance: 1280,
  available: 1000,
  held: 280,
  phone: null,
  status: 'active',
  birthday: null,
  tier: {
    code: 'bronze',
    name: '铜卡会员',
    growth: 300,
    next: { code: 'silver', name: '银卡会员', growthNeeded: 700 },
  },
  expiring: null,
  nextExpiry: null,
  createdAt: '2026-11-01T10:00:00.000+08:00',
  ...over,
});

let seq = 0;
export const historyItem = (over: Partial<HistoryItem> = {}): HistoryItem => ({
  id: `e${++seq}`,
  kind: 'earn',
  delta: 100,
  balanceAfter: 1000,
  heldAfter: 0,
  storeId: 'S001',
  reason: null,
  createdAt: '2026-11-25T10:00:00.000+08:00',
  ...over,
});

export const reward = (over: Partial<Reward> = {}): Reward => ({
  id: `r${++seq}`,
  name: '招牌奶茶',
  kind: 'gift',
  pointsCost: 300,
  stock: 20,
  active: true,
  spec: {},
  updatedAt: '2026-11-20T10:00:00.000+08:00',
  ...over,
});

export const voucher = (over: Partial<Voucher> = {}): Voucher => ({
  id: `v${++seq}`,
  code: 'ABCD2345EFGH',
  qr: 'data:image/svg+xml;base64,PHN2Zy8+',
  rewardId: 'r1',
  rewardName: '招牌奶茶',
  points: 300,
  status: 'issued',
  expiresAt: null,
  createdAt: '2026-11-25T10:00:00.000+08:00',
  ...over,
});

export const payCode = (over: Partial<PayCode> = {}): PayCode => ({
  holdId: 'h1',
  code: '661234567890123456',
  qr: 'data:image/svg+xml;base64,PHN2Zy8+',
  barcode: 'data:image/svg+xml;base64,PHN2Zy8+',
  points: 500,
  expiresAt: new Date(Date.now() + 120_000).toISOString(),
  ...over,
});

/** How a reward reads on its card: a glyph for the tile, a one-line offer, the stock. */
import type { Reward } from '../api/types';
import { formatYuan, groupDigits } from './format';

export const rewardGlyph = (r: Reward): string => ({ gift: '礼', coupon: '券', cash: '抵' })[r.kind];

/** "满¥50.00减¥10.00", "8.5折", or the description. */
export function rewardOffer(r: Reward): string {
  const c = r.spec.coupon;
  if (c?.type === 'amount_off' && c.amountOffFen) {
    const off = `减${formatYuan(c.amountOffFen)}`;
    return c.thresholdFen ? `满${formatYuan(c.thresholdFen)}${off}` : `立${off}`;
  }
  if (c?.type === 'discount' && c.discountPercent) {
    // discountPercent is the share taken off: 15 → pay 85% → 8.5折.
    return `${((100 - c.discountPercent) / 10).toString()}折${c.thresholdFen ? `（满${formatYuan(c.thresholdFen)}可用）` : ''}`;
  }
  return r.spec.description ?? '';
}

export function stockText(stock: number | null): string {
  if (stock === null) return '不限量';
  if (stock <= 0) return '已兑完';
  return `剩 ${groupDigits(stock)} 件`;
}

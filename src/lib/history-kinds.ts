/**
 * How each ledger event kind looks in the history list: a label, a one-glyph
 * icon (a character, not an emoji: every phone font has it) and a colour.
 * The kinds are DESIGN's public list; an unknown kind still shows, plainly.
 */
export interface KindLook {
  label: string;
  glyph: string;
  tone: 'earn' | 'spend' | 'neutral' | 'loss';
}

const KINDS: Record<string, KindLook> = {
  earn: { label: '消费得积分', glyph: '购', tone: 'earn' },
  claim: { label: '扫码领积分', glyph: '领', tone: 'earn' },
  bonus: { label: '活动奖励', glyph: '奖', tone: 'earn' },
  adjust: { label: '积分调整', glyph: '调', tone: 'neutral' },
  redeem: { label: '积分兑换', glyph: '兑', tone: 'spend' },
  capture: { label: '积分抵现', glyph: '抵', tone: 'spend' },
  hold: { label: '付款码冻结', glyph: '冻', tone: 'neutral' },
  release: { label: '冻结释放', glyph: '释', tone: 'neutral' },
  refund: { label: '退款扣回', glyph: '退', tone: 'loss' },
  expire: { label: '积分过期', glyph: '期', tone: 'loss' },
};

export const kindLook = (kind: string): KindLook => KINDS[kind] ?? { label: '积分变动', glyph: '积', tone: 'neutral' };

/**
 * Rules to start from (the console's "new rule from a template"). Each is a
 * complete rule body an operator adjusts and saves as a draft; nothing here
 * is active until published.
 */
import type { RuleBody } from './earning-rules.js';

export interface RuleTemplate {
  key: string;
  title: string;
  description: string;
  body: RuleBody;
}

export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  {
    key: 'double-day',
    title: '双倍积分日',
    description: '每周固定一天消费积分翻倍（默认周六），每人每天最多多得 1000 分。',
    body: {
      name: '周六双倍积分',
      priority: 10,
      stacking: 'best',
      when: { weekdays: [6] },
      then: { multiplier: 2 },
      caps: { perMemberPerDay: 1000 },
    },
  },
  {
    key: 'birthday-triple',
    title: '生日三倍',
    description: '会员生日当天消费三倍积分（需会员在资料中填写生日）。',
    body: {
      name: '生日三倍积分',
      priority: 20,
      stacking: 'best',
      when: { birthday: true },
      then: { multiplier: 3 },
      caps: { perEvent: 3000 },
    },
  },
  {
    key: 'category-double',
    title: '品类加倍',
    description: '指定品类的商品金额积分翻倍（需收银系统上报商品品类）。',
    body: {
      name: '茶饮双倍积分',
      priority: 5,
      stacking: 'add',
      when: { categories: ['tea'] },
      then: { multiplier: 2 },
      caps: {},
    },
  },
  {
    key: 'new-member-gift',
    title: '新会员礼',
    description: '铜卡（新）会员每笔消费额外赠送 50 分，每月最多 200 分；升级后不再适用。',
    body: {
      name: '新会员消费礼',
      priority: 0,
      stacking: 'best',
      when: { tiers: ['bronze'] },
      then: { bonus: 50 },
      caps: { perMemberPerMonth: 200 },
    },
  },
];

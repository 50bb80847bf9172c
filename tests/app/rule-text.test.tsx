import { describe, expect, it } from 'vitest';
import { parseSse } from '../../src/api/sse';
import { expiryText, monthDay, ruleConditions, ruleReward } from '../../src/lib/rule-text';

const rule = (then: object) => ({ id: 'r', name: 'r', when: {}, then, caps: {} }) as never;

describe('rule sentences', () => {
  it('say what a rule pays', () => {
    expect(ruleReward(rule({ multiplier: 1.5 }))).toBe('积分 1.5 倍');
    expect(ruleReward(rule({ pointsPerYuan: 3 }))).toBe('每元 3 积分');
    expect(ruleReward(rule({ bonus: 1200 }))).toBe('额外送 1,200 积分');
    expect(ruleReward(rule({ exclude: true }))).toBe('不积分');
  });

  it('say when, in reading order, with the year only when it is not this one', () => {
    expect(
      ruleConditions(
        { dateFrom: '2026-12-01', dateTo: '2027-01-03', weekdays: [6, 7], timeFrom: '22:00', timeTo: '02:00' },
        2026,
      ),
    ).toEqual(['12月1日至2027年1月3日', '每周六、日', '22:00–02:00']);
    expect(ruleConditions({ minPaidFen: 5000, maxPaidFen: 20000, categories: ['茶饮'], birthday: true }, 2026)).toEqual(
      ['生日当天', '实付 ¥50.00–¥200.00', '茶饮类商品'],
    );
    expect(ruleConditions({ holidays: false, channels: ['alipay', 'open'], regions: ['华东'] })).toEqual([
      '节假日除外',
      '华东门店',
      '支付宝、门店收银',
    ]);
    expect(ruleConditions({ storeIds: ['S9'] })).toEqual(['S9']); // no name known: the id
    expect(monthDay('2026-02-09', 2026)).toBe('2月9日');
  });

  it('say when points expire', () => {
    expect(expiryText({ mode: 'rolling', days: 0, clearOn: null, afterYears: null })).toBe('积分长期有效');
    expect(expiryText({ mode: 'yearly', days: 0, clearOn: '06-30', afterYears: 2 })).toBe(
      '每年获得的积分于 2 年后的 6月30日 过期',
    );
  });
});

describe('event stream reader', () => {
  it('splits whole events, keeps the unfinished rest, skips comments and joins data lines', () => {
    const { events, rest } = parseSse(
      ': keep-alive\n\nevent: balance\ndata: {"balance":1}\n\ndata: a\r\ndata: b\r\n\r\nevent: balance\ndata: {"bal',
    );
    expect(events).toEqual([
      { event: 'balance', data: '{"balance":1}' },
      { event: 'message', data: 'a\nb' },
    ]);
    expect(rest).toBe('event: balance\ndata: {"bal');
  });
});

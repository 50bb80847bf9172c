import { describe, expect, it } from 'vitest';
import { clawbackTarget, pointsForPayment } from '../../cloudfunctions/core/domain/earning.js';
import { fenToYuan, yuanToFen } from '../../cloudfunctions/core/domain/money.js';
import { HQ, storeFromTill, storeOf } from '../../cloudfunctions/core/payments/store-of.js';

describe('yuan ↔ fen', () => {
  it.each([
    ['88.00', 8800],
    ['12.34', 1234],
    ['0.01', 1],
    ['0.1', 10],
    ['7', 700],
    ['19.99', 1999], // 19.99 * 100 is 1998.9999999999998 in floating point
    ['1.15', 115], // and 1.15 * 100 is 114.99999999999999
    ['99999999999.99', 9999999999999],
  ])('%s yuan is %i fen, exactly', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
    expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it.each(['', '-1.00', '1.234', '1,00', 'abc', '01.00', '1e3', ' . '])('refuses %j', (yuan) => {
    expect(() => yuanToFen(yuan)).toThrow(/not an amount in yuan/);
  });
});

describe('earning and clawback', () => {
  it('earns one point per whole yuan paid', () => {
    expect([0, 99, 100, 8850, 100_000].map(pointsForPayment)).toEqual([0, 0, 1, 88, 1000]);
  });

  it('claws back cumulatively: floor(earned × refunded ÷ total), exactly earned at a full refund', () => {
    expect(clawbackTarget(88, 4400, 8800)).toBe(44);
    expect(clawbackTarget(10, 333, 1000)).toBe(3);
    expect(clawbackTarget(10, 666, 1000)).toBe(6); // two refunds of 333 together
    expect(clawbackTarget(10, 1000, 1000)).toBe(10);
    expect(clawbackTarget(10, 5000, 1000)).toBe(10); // never more than earned
    expect(clawbackTarget(0, 500, 1000)).toBe(0);
  });

  it('stays exact where the product passes 2^53', () => {
    expect(clawbackTarget(900_000_000, 999_999_999_999, 1_000_000_000_000)).toBe(899_999_999);
  });
});

describe('store of a payment', () => {
  const prefixes: Array<[string, string]> = [
    ['SH-PD-', 'S002'],
    ['SH-', 'S001'],
  ];
  it('prefers what the till wrote, then the longest order prefix, then HQ', () => {
    expect(storeOf(storeFromTill('{"store":"S009"}'), 'SH-PD-1', prefixes)).toBe('S009');
    expect(storeOf(storeFromTill(encodeURIComponent('{"store":"S010"}')), null, prefixes)).toBe('S010');
    expect(storeOf(null, 'SH-PD-1', prefixes)).toBe('S002');
    expect(storeOf(null, 'SH-9', prefixes)).toBe('S001');
    expect(storeOf(storeFromTill('not json'), 'BJ-1', prefixes)).toBe(HQ);
    expect(storeFromTill('{"store":"../etc"}')).toBeNull();
  });
});

/**
 * The cashier scans the member's pay code, types the bill and the order
 * number, and captures: the server takes at most what the bill allows and
 * frees the rest of the hold. One capture per order number, so a double tap
 * or a retry after a lost answer never charges twice.
 */
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../api/client';
import type { CaptureResult } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { ScanField } from '../../components/scan-field';
import { StaffGate } from '../../components/staff-gate';
import { Result } from '../../components/result';
import { formatPoints, formatYuan, parseYuan } from '../../lib/format';
import { useAction } from '../../lib/use-action';

export default function StaffCheckout() {
  return <StaffGate>{() => <Checkout />}</StaffGate>;
}

function Checkout() {
  const [code, setCode] = useState('');
  const [bill, setBill] = useState('');
  const [orderNo, setOrderNo] = useState('');
  const [done, setDone] = useState<(CaptureResult & { amountFen: number }) | null>(null);
  const amountFen = parseYuan(bill);
  const ready = /^\d{18}$/.test(code) && amountFen !== null && orderNo.trim().length > 0;

  const {
    run: capture,
    busy,
    error,
  } = useAction(async (fen: number) => {
    setDone({ ...(await api('capture', { code, orderNo: orderNo.trim(), amountFen: fen })), amountFen: fen });
  });

  if (done)
    return (
      <Result tone="ok" title={`已抵扣 ${formatYuan(done.discountFen)}`}>
        <Text>使用 {formatPoints(done.points)}</Text>
        <Text className="checkout__due">还需收款 {formatYuan(done.amountFen - done.discountFen)}</Text>
        <Text className="muted">订单 {done.orderNo}</Text>
        <BigButton
          kind="ghost"
          onClick={() => {
            setDone(null);
            setCode('');
            setBill('');
            setOrderNo('');
          }}
        >
          下一位顾客
        </BigButton>
      </Result>
    );

  return (
    <View className="card staff-form">
      <Text className="card__title">顾客付款码</Text>
      <ScanField value={code} onChange={setCode} placeholder="18 位付款码" digitsOnly />
      <Text className="card__title">账单金额（元）</Text>
      <Input
        className="field"
        type="digit"
        placeholder="例如 58.00"
        value={bill}
        onInput={(e) => setBill(e.detail.value)}
      />
      {bill && amountFen === null ? <Text className="field-error">请输入正确的金额，最多两位小数</Text> : null}
      <Text className="card__title">订单号</Text>
      <Input
        className="field"
        placeholder="收银系统的订单号"
        value={orderNo}
        onInput={(e) => setOrderNo(e.detail.value)}
      />
      {error ? <Text className="field-error">{error}</Text> : null}
      <BigButton disabled={!ready} busy={busy} onClick={() => amountFen !== null && void capture(amountFen)}>
        确认抵扣
      </BigButton>
    </View>
  );
}

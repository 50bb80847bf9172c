/** The cashier makes a claim QR for an order; the member scans it to get that order's points. */
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../api/client';
import type { ClaimTicket } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { DataImage } from '../../components/data-image';
import { StaffGate } from '../../components/staff-gate';
import { formatClock, formatDay } from '../../lib/format';
import { useAction } from '../../lib/use-action';

const CHANNELS = [
  { key: 'wechatpay', label: '微信支付' },
  { key: 'alipay', label: '支付宝' },
] as const;

export default function StaffClaim() {
  return <StaffGate>{() => <ClaimForm />}</StaffGate>;
}

function ClaimForm() {
  const [channel, setChannel] = useState<'wechatpay' | 'alipay'>('wechatpay');
  const [orderNo, setOrderNo] = useState('');
  const [ticket, setTicket] = useState<ClaimTicket | null>(null);
  const {
    run: create,
    busy,
    error,
  } = useAction(async () => setTicket(await api('createClaim', { channel, outTradeNo: orderNo.trim() })));

  if (ticket)
    return (
      <View className="result">
        <Text className="result__title">请顾客扫码领取积分</Text>
        <DataImage src={ticket.qr} width={480} height={480} label="领积分二维码" />
        <Text className="muted">订单 {orderNo}</Text>
        <Text className="muted">
          领取码 {ticket.ticket} · {formatDay(ticket.expiresAt)} {formatClock(ticket.expiresAt)} 前有效
        </Text>
        <BigButton
          kind="ghost"
          onClick={() => {
            setTicket(null);
            setOrderNo('');
          }}
        >
          下一单
        </BigButton>
      </View>
    );

  return (
    <View className="card staff-form">
      <Text className="card__title">本单支付方式</Text>
      <View className="chips">
        {CHANNELS.map((c) => (
          <Text key={c.key} className={`chip ${channel === c.key ? 'chip--on' : ''}`} onClick={() => setChannel(c.key)}>
            {c.label}
          </Text>
        ))}
      </View>
      <Input
        className="field"
        placeholder="商户订单号（小票上的订单号）"
        value={orderNo}
        onInput={(e) => setOrderNo(e.detail.value)}
      />
      {error ? <Text className="field-error">{error}</Text> : null}
      <BigButton disabled={orderNo.trim().length === 0} busy={busy} onClick={() => void create()}>
        生成领积分码
      </BigButton>
    </View>
  );
}

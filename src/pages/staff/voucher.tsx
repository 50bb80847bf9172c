/** The cashier scans or types a voucher code and marks it used; the server accepts it exactly once. */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../api/client';
import type { VoucherUse } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { ScanField } from '../../components/scan-field';
import { StaffGate } from '../../components/staff-gate';
import { Result } from '../../components/result';
import { formatClock, formatPoints } from '../../lib/format';
import { useAction } from '../../lib/use-action';

export default function StaffVoucher() {
  return <StaffGate>{() => <Verify />}</StaffGate>;
}

function Verify() {
  const [code, setCode] = useState('');
  const [used, setUsed] = useState<VoucherUse | null>(null);
  const { run: verify, busy, error } = useAction(async () => setUsed(await api('verifyVoucher', { code })));

  if (used)
    return (
      <Result tone="ok" title="核销成功">
        <Text>请发放：{used.rewardName}</Text>
        <Text className="muted">
          {formatPoints(used.points)} · {formatClock(used.usedAt)} 核销
        </Text>
        <BigButton
          kind="ghost"
          onClick={() => {
            setUsed(null);
            setCode('');
          }}
        >
          继续核销
        </BigButton>
      </Result>
    );

  return (
    <View className="card staff-form">
      <Text className="card__title">兑换券码</Text>
      <ScanField value={code} onChange={setCode} placeholder="12 位券码" />
      {error ? <Text className="field-error">{error}</Text> : null}
      <BigButton disabled={code.length < 4} busy={busy} onClick={() => void verify()}>
        核销
      </BigButton>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { useCallback, useState, type PropsWithChildren } from 'react';
import { api } from '../api/client';
import type { Voucher } from '../api/types';
import { useAction } from '../lib/use-action';
import { BigButton } from './buttons';
import { formatDay, spacedCode } from '../lib/format';
import { DataImage } from './data-image';
import './voucher-card.scss';

export const VOUCHER_STATUS_ZH: Record<Voucher['status'], string> = {
  pending_review: '审核中',
  issued: '可使用',
  used: '已使用',
  expired: '已过期',
  cancelled: '已退回',
  rejected: '未通过',
};

/**
 * A voucher as the member shows it at the counter: the QR only while it can
 * still be used. Lists come without QR codes (the server draws one per
 * voucher on request), so a card from a list shows 出示券码 and loads its own.
 */
export function VoucherCard({
  voucher,
  showQr = true,
  children,
}: PropsWithChildren<{ voucher: Voucher; showQr?: boolean }>) {
  const usable = voucher.status === 'issued';
  const [qr, setQr] = useState(voucher.qr);
  const load = useCallback(async () => setQr((await api('voucher', { voucherId: voucher.id })).qr), [voucher.id]);
  const reveal = useAction(load);
  return (
    <View className={`voucher ${usable ? '' : 'voucher--off'}`}>
      <View className="voucher__head">
        <Text className="voucher__name">{voucher.rewardName}</Text>
        <Text className={`voucher__status voucher__status--${voucher.status}`}>
          {VOUCHER_STATUS_ZH[voucher.status]}
        </Text>
      </View>
      {usable && showQr && qr ? (
        <View className="voucher__qr">
          <DataImage src={qr} width={360} height={360} label="券码二维码" />
          <Text className="voucher__code">{spacedCode(voucher.code)}</Text>
          <Text className="muted">向店员出示此码核销</Text>
        </View>
      ) : null}
      {usable && showQr && !qr ? (
        <View className="voucher__reveal">
          <BigButton kind="ghost" busy={reveal.busy} onClick={() => void reveal.run()}>
            出示券码
          </BigButton>
          {reveal.error ? <Text className="field-error">{reveal.error}，请重试</Text> : null}
        </View>
      ) : null}
      <Text className="muted">
        {voucher.expiresAt ? `有效期至 ${formatDay(voucher.expiresAt)}` : '长期有效'} · 兑换于{' '}
        {formatDay(voucher.createdAt)}
      </Text>
      {children}
    </View>
  );
}

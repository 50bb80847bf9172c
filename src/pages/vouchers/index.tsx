import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { Voucher } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { Empty, Failure, Loading } from '../../components/status-view';
import { VoucherCard } from '../../components/voucher-card';
import { formatPoints } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';
import { go } from '../../lib/navigate';
import './index.scss';

const TABS = [
  { key: 'usable', label: '可使用', has: (v: Voucher) => v.status === 'issued' || v.status === 'pending_review' },
  { key: 'past', label: '已失效', has: (v: Voucher) => v.status !== 'issued' && v.status !== 'pending_review' },
] as const;

const loadVouchers = () => api('vouchers', {});

export default function Vouchers() {
  const [list, reload] = useRemote(loadVouchers);
  const [tab, setTab] = useState<(typeof TABS)[number]['key']>('usable');
  const [cancelling, setCancelling] = useState<string | null>(null);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });

  const cancel = async (v: Voucher) => {
    const ok = await Taro.showModal({
      title: '退回这张券？',
      content: `退回后 ${formatPoints(v.points)} 将返还到账户`,
      confirmText: '退回',
    });
    if (!ok.confirm) return;
    setCancelling(v.id);
    try {
      const r = await api('cancelVoucher', { voucherId: v.id });
      void Taro.showToast({ title: `已退回，余额 ${r.balance}`, icon: 'none' });
      await reload({ quiet: true });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      setCancelling(null);
    }
  };

  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <Failure message={list.message} onRetry={() => void reload()} />;
  const current = TABS.find((t) => t.key === tab) ?? TABS[0];
  const shown = list.data.items.filter(current.has);
  return (
    <View className="page">
      <View className="tabs">
        {TABS.map((t) => (
          <Text
            key={t.key}
            className={`tabs__item ${t.key === tab ? 'tabs__item--on' : ''}`}
            onClick={() => setTab(t.key)}
          >
            {t.label}（{list.data.items.filter(t.has).length}）
          </Text>
        ))}
      </View>
      {shown.length === 0 ? (
        tab === 'usable' ? (
          <View>
            <Empty title="还没有可用的券" hint="用积分兑换礼品后，券会出现在这里" />
            <BigButton onClick={() => go('rewards')}>去兑换</BigButton>
          </View>
        ) : (
          <Empty title="没有已失效的券" />
        )
      ) : (
        shown.map((v) => (
          <VoucherCard key={v.id} voucher={v}>
            {v.status === 'issued' ? (
              <Text className="vouchers__cancel" onClick={() => (cancelling ? undefined : void cancel(v))}>
                {cancelling === v.id ? '退回中…' : '不想要了？退回积分'}
              </Text>
            ) : null}
          </VoucherCard>
        ))
      )}
    </View>
  );
}

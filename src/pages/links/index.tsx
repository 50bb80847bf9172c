import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { PayerLink } from '../../api/types';
import { Empty, Failure, Loading } from '../../components/status-view';
import { formatDay } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const CHANNEL_ZH: Record<PayerLink['channel'], string> = { alipay: '支付宝', wechatpay: '微信（其他小程序）' };

/** What each state means for the member's next payments, in their words. */
function stateOf(link: PayerLink): { label: string; tone: string; hint: string } {
  switch (link.status) {
    case 'active':
      return { label: '已关联', tone: 'on', hint: '用这个账户付款，积分自动到账' };
    case 'pending':
      return {
        label: '待确认',
        tone: 'wait',
        hint: `再扫码领取 ${link.claimsNeeded} 次这个账户的订单，即可自动到账`,
      };
    case 'suspended':
      return { label: '已暂停', tone: 'off', hint: '有其他会员领取了这个账户的订单，门店核实前请扫码领取积分' };
    default:
      return { label: '已解除', tone: 'off', hint: '' };
  }
}

const loadLinks = () => api('payerLinks', {});

/**
 * Payment accounts tied to the member by checkout claims: the member sees
 * where their points come from and removes any account that is not theirs.
 */
export default function Links() {
  const [list, reload] = useRemote(loadLinks);
  const [removing, setRemoving] = useState<string | null>(null);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });

  const remove = async (link: PayerLink) => {
    const ok = await Taro.showModal({
      title: '解除关联？',
      content: `解除后，${link.payer} 的付款需要扫码领取积分`,
      confirmText: '解除',
    });
    if (!ok.confirm) return;
    setRemoving(link.id);
    try {
      await api('removePayerLink', { linkId: link.id });
      void Taro.showToast({ title: '已解除关联', icon: 'none' });
      await reload({ quiet: true });
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' });
    } finally {
      setRemoving(null);
    }
  };

  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <Failure message={list.message} onRetry={() => void reload()} />;
  if (list.data.items.length === 0) {
    return (
      <Empty
        title="还没有关联的付款账户"
        hint="用支付宝付款后扫描小票上的二维码领取积分，多次领取后该账户的付款会自动积分"
      />
    );
  }
  return (
    <View className="page">
      {list.data.items.map((link) => {
        const state = stateOf(link);
        return (
          <View key={link.id} className="card link">
            <View className="link__head">
              <Text className="link__channel">{CHANNEL_ZH[link.channel]}</Text>
              <Text className={`link__state link__state--${state.tone}`}>{state.label}</Text>
            </View>
            <Text className="link__payer">{link.payer}</Text>
            {state.hint ? <Text className="muted">{state.hint}</Text> : null}
            <View className="link__foot">
              <Text className="muted">
                领取 {link.claims} 次 · 最近 {formatDay(link.updatedAt)}
              </Text>
              <Text className="link__remove" onClick={() => (removing ? undefined : void remove(link))}>
                {removing === link.id ? '解除中…' : '解除关联'}
              </Text>
            </View>
          </View>
        );
      })}
    </View>
  );
}

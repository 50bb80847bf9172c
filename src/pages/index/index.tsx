import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro';
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../api/client';
import type { LiveBalance } from '../../api/endpoints';
import type { MemberView } from '../../api/types';
import { CheckInCard } from '../../components/check-in-card';
import { ExpiryBanner } from '../../components/expiry-banner';
import { Empty, Failure, Loading } from '../../components/status-view';
import { TierCard } from '../../components/tier-card';
import { formatPoints, groupDigits } from '../../lib/format';
import { go } from '../../lib/navigate';
import { acceptReferralOnce, shareMessage, useReferralCode } from '../../lib/referral';
import { useLiveBalance } from '../../lib/use-live-balance';
import { useRemote } from '../../lib/use-remote';
import type { PageName } from '../../routes';
import './index.scss';

const loadMe = () => api('me', {});

export default function Home() {
  const [me, reload] = useRemote(loadMe);
  const quietly = useCallback(() => void reload({ quiet: true }), [reload]);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  // Coming back from paying or redeeming: the new balance, quietly (the first show already loads).
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) quietly();
    shown.current = true;
  });

  // A payment lands while the page is open: reload when the pushed balance differs from the one shown.
  const current = me.state === 'ready' ? me.data : null;
  const onLive = useCallback(
    (b: LiveBalance) => {
      if (current && (b.balance !== current.balance || b.held !== current.held)) quietly();
    },
    [current, quietly],
  );
  useLiveBalance(onLive, current !== null);

  // Opened from a friend's share (…?ref=CODE): accept it once.
  const ref = useRouter().params.ref;
  const ready = current !== null;
  useEffect(() => {
    if (ref && ready) void acceptReferralOnce(ref);
  }, [ref, ready]);

  const code = useReferralCode();
  useShareAppMessage(() => shareMessage(code));

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  return <Balance member={me.data} onChanged={quietly} />;
}

function Balance({ member, onChanged }: { member: MemberView; onChanged: () => void }) {
  const actions: { page: PageName; glyph: string; label: string }[] = [
    { page: 'pay', glyph: '付', label: '积分付款' },
    { page: 'vouchers', glyph: '券', label: '我的券' },
    { page: 'history', glyph: '明', label: '积分明细' },
    { page: 'earn', glyph: '赚', label: '赚积分' },
  ];
  return (
    <View className="home">
      {member.expiring ? <ExpiryBanner expiring={member.expiring} /> : null}

      <View className="hero">
        <Text className="hero__label">积分余额</Text>
        <Text className="hero__points">{formatPoints(member.balance)}</Text>
        <View className="hero__split">
          <Text>可用 {groupDigits(member.available)}</Text>
          <Text>冻结 {groupDigits(member.held)}</Text>
        </View>
      </View>

      <View className="actions">
        {actions.map((a) => (
          <View key={a.page} className="actions__item" onClick={() => go(a.page)}>
            <Text className="actions__glyph">{a.glyph}</Text>
            <Text>{a.label}</Text>
          </View>
        ))}
      </View>

      {member.status === 'frozen' ? (
        <View className="card card--warn">
          <Text className="card__title">账户已冻结</Text>
          <Text>可以查看积分，付款仍会积分；暂不能兑换或用积分付款，请联系门店</Text>
        </View>
      ) : null}

      {member.status === 'active' ? <CheckInCard onCheckedIn={onChanged} /> : null}

      {member.balance === 0 ? <Empty title="还没有积分" hint="消费后扫描小票上的二维码即可领取积分" /> : null}

      <TierCard tier={member.tier} onClick={() => go('tier')} />
    </View>
  );
}

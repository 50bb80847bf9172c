import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef } from 'react';
import { api } from '../../api/client';
import type { MemberView } from '../../api/types';
import { CheckInCard } from '../../components/check-in-card';
import { Empty, Failure, Loading } from '../../components/status-view';
import { daysUntil, formatDay, formatPoints, groupDigits, tierProgress } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';
import { routeTo, type PageName } from '../../routes';
import './index.scss';

const loadMe = () => api('me', {});

export default function Home() {
  const [me, reload] = useRemote(loadMe);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  // Coming back from paying or redeeming: the new balance, quietly (the first show already loads).
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void reload({ quiet: true });
    shown.current = true;
  });

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  return <Balance member={me.data} onChanged={() => void reload({ quiet: true })} />;
}

const go = (page: PageName) => void Taro.navigateTo({ url: routeTo(page) });

function Balance({ member, onChanged }: { member: MemberView; onChanged: () => void }) {
  const { tier, expiring } = member;
  const actions: { page: PageName; glyph: string; label: string }[] = [
    { page: 'pay', glyph: '付', label: '积分付款' },
    { page: 'rewards', glyph: '兑', label: '兑换好礼' },
    { page: 'vouchers', glyph: '券', label: '我的券' },
    { page: 'history', glyph: '明', label: '积分明细' },
  ];
  return (
    <View className="home">
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

      {expiring ? (
        <View className="card card--warn">
          <Text className="card__title">还有 {daysUntil(expiring.firstAt)} 天过期</Text>
          <Text>
            {groupDigits(expiring.points)} 积分将于 {formatDay(expiring.firstAt)} 起陆续过期，记得兑换
          </Text>
        </View>
      ) : null}

      <View className="card">
        <View className="tier__head">
          <Text className="tier__name">{tier.name}</Text>
          <Text className="tier__growth">成长值 {groupDigits(tier.growth)}</Text>
        </View>
        {tier.next ? (
          <>
            <View className="tier__bar">
              <View className="tier__fill" style={{ width: `${tierProgress(tier.growth, tier.next.growthNeeded)}%` }} />
            </View>
            <Text className="tier__hint">
              再获得 {groupDigits(tier.next.growthNeeded)} 成长值升级为{tier.next.name}
            </Text>
          </>
        ) : (
          <Text className="tier__hint">已是最高等级</Text>
        )}
      </View>

      <View className="card row" onClick={() => go('phone')}>
        <Text>手机号</Text>
        <Text className="muted">{member.phone ?? '去绑定，合并门店积分 ›'}</Text>
      </View>
      <View className="card row" onClick={() => go('links')}>
        <Text>付款账户</Text>
        <Text className="muted">支付宝等自动积分 ›</Text>
      </View>
      <View className="card row" onClick={() => go('staff')}>
        <Text>店员入口</Text>
        <Text className="muted">收银、核销 ›</Text>
      </View>
    </View>
  );
}

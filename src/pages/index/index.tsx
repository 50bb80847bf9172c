import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { api } from '../../api/client';
import type { MemberView } from '../../api/types';
import { Empty, Failure, Loading } from '../../components/status-view';
import { formatDay, formatPoints, groupDigits, tierProgress } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';
import { routeTo } from '../../routes';
import './index.scss';

const loadMe = () => api('me', {});

export default function Home() {
  const [me, reload] = useRemote(loadMe);
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });

  if (me.state === 'loading') return <Loading />;
  if (me.state === 'error') return <Failure message={me.message} onRetry={() => void reload()} />;
  return <Balance member={me.data} />;
}

function Balance({ member }: { member: MemberView }) {
  const { tier, expiring } = member;
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

      {member.balance === 0 ? <Empty title="还没有积分" hint="消费后扫描小票上的二维码即可领取积分" /> : null}

      {expiring ? (
        <View className="card card--warn">
          <Text>
            {groupDigits(expiring.points)} 积分将于 {formatDay(expiring.firstAt)} 起陆续过期
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

      <View className="links">
        <View className="links__item" onClick={() => void Taro.navigateTo({ url: routeTo('history') })}>
          积分明细
        </View>
        <View className="links__item" onClick={() => void Taro.navigateTo({ url: routeTo('rewards') })}>
          积分兑换
        </View>
      </View>
    </View>
  );
}

/**
 * How to earn, generated from what the server applies (GET
 * /api/member/earning): the base rate, every active rule in the order the
 * rules rank, the activity bonuses HQ turned on, the member's tier bonus
 * and when points expire. Nothing on this page is written by hand.
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { api } from '../../api/client';
import type { EarningGuide } from '../../api/types';
import { Failure, Loading } from '../../components/status-view';
import { go } from '../../lib/navigate';
import { bonusLines, expiryText, ruleCaps, ruleConditions, ruleReward } from '../../lib/rule-text';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const load = () => api('earning', {});

export default function Earn() {
  const [guide, reload] = useRemote(load);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  if (guide.state === 'loading') return <Loading />;
  if (guide.state === 'error') return <Failure message={guide.message} onRetry={() => void reload()} />;
  return <Guide g={guide.data} />;
}

function Guide({ g }: { g: EarningGuide }) {
  const bonuses = bonusLines(g.bonuses);
  return (
    <View className="page earn">
      <View className="card">
        <Text className="card__title">消费积分</Text>
        <View className="earn__line">
          <Text>消费每 1 元</Text>
          <Text className="earn__points">{g.basePointsPerYuan} 积分</Text>
        </View>
        {g.tier.multiplier > 1 ? (
          <View className="earn__line">
            <Text>{g.tier.name}加成</Text>
            <Text className="earn__points">× {g.tier.multiplier}</Text>
          </View>
        ) : null}
        <Text className="muted">按实付金额计算，不足 1 元的部分不计；退款时按比例退回</Text>
      </View>

      {g.rules.length > 0 ? (
        <View className="card">
          <Text className="card__title">进行中的活动</Text>
          {g.rules.map((r) => {
            const when = ruleConditions(r.when);
            const caps = ruleCaps(r);
            return (
              <View key={r.id} className="earn__rule">
                <View className="earn__line">
                  <Text className="earn__name">{r.name}</Text>
                  <Text className="earn__points">{ruleReward(r)}</Text>
                </View>
                <Text className="muted">{when.length > 0 ? when.join(' · ') : '所有消费'}</Text>
                {caps.length > 0 ? <Text className="muted">{caps.join('，')}</Text> : null}
              </View>
            );
          })}
        </View>
      ) : null}

      {bonuses.length > 0 ? (
        <View className="card">
          <Text className="card__title">活动奖励</Text>
          {bonuses.map((b) => (
            <View key={b.title} className="earn__rule">
              <View className="earn__line">
                <Text className="earn__name">{b.title}</Text>
                <Text className="earn__points">{b.points}</Text>
              </View>
              {b.hint ? <Text className="muted">{b.hint}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}

      <View className="card">
        <Text className="card__title">积分有效期</Text>
        <Text>{expiryText(g.expiry)}</Text>
        <Text className="earn__link" onClick={() => go('rewards')}>
          去兑换好礼 ›
        </Text>
      </View>
    </View>
  );
}

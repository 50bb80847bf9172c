/**
 * The tier page: where the member stands, what each tier gives (as HQ set
 * it), until when the held tier is kept, and the growth of each month of the
 * rolling period — the same monthly counters that move the tier.
 */
import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { api } from '../../api/client';
import type { LadderTier, TierPage } from '../../api/types';
import { Failure, Loading } from '../../components/status-view';
import { TierCard } from '../../components/tier-card';
import { formatDay, groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const load = () => api('tier', {});

export default function TierPageView() {
  const [page, reload] = useRemote(load);
  usePullDownRefresh(() => {
    void reload({ quiet: true }).finally(() => Taro.stopPullDownRefresh());
  });
  if (page.state === 'loading') return <Loading />;
  if (page.state === 'error') return <Failure message={page.message} onRetry={() => void reload()} />;
  const p = page.data;
  return (
    <View className="page tier-page">
      <TierCard tier={p.current} />
      <Text className="muted tier-page__period">
        {p.heldUntil
          ? `${p.current.name}保留至 ${formatDay(p.heldUntil)}，届时按近 ${p.periodMonths} 个月成长值重新评定`
          : `成长值按近 ${p.periodMonths} 个月累计，消费 1 元得 1 成长值`}
      </Text>

      <View className="card">
        <Text className="card__title">等级权益</Text>
        {p.ladder.map((t) => (
          <LadderRow key={t.code} tier={t} current={t.code === p.current.code} />
        ))}
      </View>

      <View className="card">
        <Text className="card__title">成长值记录</Text>
        <Months months={p.months} />
      </View>
    </View>
  );
}

function LadderRow({ tier, current }: { tier: LadderTier; current: boolean }) {
  const perks = [
    ...(tier.multiplier > 1 ? [`消费积分 ${tier.multiplier} 倍`] : []),
    ...(tier.birthdayGift > 0 ? [`生日礼 ${groupDigits(tier.birthdayGift)} 积分`] : []),
    ...tier.benefits,
  ];
  return (
    <View className={`ladder ${current ? 'ladder--current' : ''}`}>
      <View className="ladder__head">
        <Text className="ladder__name">{tier.name}</Text>
        <Text className="muted">{current ? '当前等级' : `成长值 ${groupDigits(tier.minGrowth)}`}</Text>
      </View>
      <Text className="ladder__perks">{perks.length > 0 ? perks.join(' · ') : '基础会员权益'}</Text>
    </View>
  );
}

/** The months that brought growth, newest first: a year of empty rows would say nothing. */
function Months({ months }: { months: TierPage['months'] }) {
  const earned = months.filter((m) => m.growth > 0).reverse();
  const top = Math.max(...earned.map((m) => m.growth), 0);
  if (top === 0) return <Text className="muted">还没有成长值，消费后按实付金额累计</Text>;
  return (
    <View className="months">
      {earned.map((m) => (
        <View key={m.month} className="months__row">
          <Text className="months__label">{m.month.replace('-', '年')}月</Text>
          <View className="months__bar">
            <View className="months__fill" style={{ width: `${Math.round((m.growth / top) * 100)}%` }} />
          </View>
          <Text className="months__value">{groupDigits(m.growth)}</Text>
        </View>
      ))}
    </View>
  );
}

/** Points that expire soon, at the top of the home page, with the way to use them. */
import { Text, View } from '@tarojs/components';
import { daysUntil, formatDay, groupDigits } from '../lib/format';
import { go } from '../lib/navigate';
import './expiry-banner.scss';

export function ExpiryBanner({ expiring }: { expiring: { points: number; firstAt: string } }) {
  const days = daysUntil(expiring.firstAt);
  return (
    <View className="expiry-banner" onClick={() => go('rewards')}>
      <Text className="expiry-banner__text">
        {groupDigits(expiring.points)} 积分{days === 0 ? '今天' : ` ${days} 天后`}过期（{formatDay(expiring.firstAt)}）
      </Text>
      <Text className="expiry-banner__go">去兑换 ›</Text>
    </View>
  );
}

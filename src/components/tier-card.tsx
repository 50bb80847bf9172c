/** The member's tier and the way to the next one; the home page and the tier page show it. */
import { Text, View } from '@tarojs/components';
import type { Tier } from '../api/types';
import { groupDigits, tierProgress } from '../lib/format';
import './tier-card.scss';

export function TierCard({ tier, onClick }: { tier: Tier; onClick?: () => void }) {
  return (
    <View className="card tier-card" onClick={onClick}>
      <View className="tier-card__head">
        <Text className="tier-card__name">{tier.name}</Text>
        <Text className="tier-card__growth">
          成长值 {groupDigits(tier.growth)}
          {onClick ? ' ›' : ''}
        </Text>
      </View>
      {tier.next ? (
        <>
          <View className="tier-card__bar">
            <View
              className="tier-card__fill"
              style={{ width: `${tierProgress(tier.growth, tier.next.growthNeeded)}%` }}
            />
          </View>
          <Text className="tier-card__hint">
            再获得 {groupDigits(tier.next.growthNeeded)} 成长值升级为{tier.next.name}
          </Text>
        </>
      ) : (
        <Text className="tier-card__hint">已是最高等级</Text>
      )}
    </View>
  );
}

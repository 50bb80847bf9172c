/**
 * Daily check-in on the home page. Shown only when a check-in pays
 * something (HQ sets the amount; 0 means the activity is off, and a card
 * promising nothing would be a field driven by nothing). After a check-in
 * the home page reloads the balance it shows.
 */
import { Button, Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import { api } from '../api/client';
import type { CheckInStatus } from '../api/types';
import { groupDigits } from '../lib/format';
import { useAction } from '../lib/use-action';
import { useRemote } from '../lib/use-remote';
import './check-in-card.scss';

const loadStatus = () => api('checkInStatus', {});

export function CheckInCard({ onCheckedIn }: { onCheckedIn: () => void }) {
  const [status, reload] = useRemote(loadStatus);
  const checkIn = useAction(useCallback(() => api('checkIn', {}), []));

  if (status.state === 'loading') return null; // the home page has its own loading state; no second spinner
  if (status.state === 'error') {
    return (
      <View className="card checkin">
        <Text className="checkin__text">签到信息暂时无法加载</Text>
        <Button className="checkin__retry" onClick={() => void reload()}>
          重试
        </Button>
      </View>
    );
  }
  const s: CheckInStatus = status.data;
  if (s.points <= 0 && !s.nextStreak) return null;
  const go = async () => {
    if (await checkIn.run()) {
      await reload({ quiet: true });
      onCheckedIn();
    }
  };
  return (
    <View className="card checkin">
      <View className="checkin__main">
        <Text className="checkin__title">{s.checkedInToday ? '今日已签到' : '每日签到'}</Text>
        <Text className="checkin__text">
          {s.streak > 0 ? `已连续签到 ${s.streak} 天` : `签到得 ${groupDigits(s.points)} 积分`}
          {s.nextStreak ? `，连续 ${s.nextStreak.days} 天再得 ${groupDigits(s.nextStreak.bonus)} 积分` : ''}
        </Text>
        {checkIn.error ? <Text className="checkin__error">{checkIn.error}</Text> : null}
      </View>
      {s.checkedInToday ? (
        <Text className="checkin__done">✓</Text>
      ) : (
        <Button className="checkin__button" disabled={checkIn.busy || undefined} onClick={() => void go()}>
          {checkIn.busy ? '签到中…' : `签到 +${groupDigits(s.points)}`}
        </Button>
      )}
    </View>
  );
}

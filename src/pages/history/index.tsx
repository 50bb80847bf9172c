import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { api } from '../../api/client';
import type { HistoryItem } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { Empty, Failure, Loading } from '../../components/status-view';
import { dayLabel, formatClock, formatDay, groupDigits, signedPoints, todayInChina } from '../../lib/format';
import { kindLook } from '../../lib/history-kinds';
import { usePaged } from '../../lib/use-paged';
import './index.scss';

const PAGE_SIZE = 20;
const loadPage = (cursor: string | undefined) =>
  api('history', cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE });

/** Consecutive items of the same business day, in the order the server gave (newest first). */
function byDay(items: HistoryItem[]): { day: string; items: HistoryItem[] }[] {
  const groups: { day: string; items: HistoryItem[] }[] = [];
  for (const item of items) {
    const day = formatDay(item.createdAt);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

export default function History() {
  const [page, { more, refresh }] = usePaged(loadPage);
  usePullDownRefresh(() => {
    void refresh().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => void more());

  if (page.loading) return <Loading />;
  if (page.items.length === 0 && page.error) return <Failure message={page.error} onRetry={() => void refresh()} />;
  if (page.items.length === 0) return <Empty title="暂无积分记录" hint="消费、领取和兑换都会记在这里" />;

  const today = todayInChina();
  return (
    <View className="history">
      {byDay(page.items).map((group) => (
        <View key={group.day} className="history__day">
          <Text className="history__date">{dayLabel(group.day, today)}</Text>
          <View className="history__list">
            {group.items.map((item) => (
              <Row key={item.id} item={item} />
            ))}
          </View>
        </View>
      ))}
      <View className="history__foot">
        {page.error ? (
          <>
            <Text className="field-error">{page.error}</Text>
            <BigButton kind="ghost" onClick={() => void refresh()}>
              重试
            </BigButton>
          </>
        ) : page.done ? (
          <Text className="muted">没有更多了</Text>
        ) : page.loadingMore ? (
          <Text className="muted">加载中…</Text>
        ) : (
          // Also a tap target: a short list never scrolls, so reach-bottom may not fire.
          <Text className="history__more" onClick={() => void more()}>
            加载更多
          </Text>
        )}
      </View>
    </View>
  );
}

function Row({ item }: { item: HistoryItem }) {
  const look = kindLook(item.kind);
  return (
    <View className="entry">
      <Text className={`entry__icon entry__icon--${look.tone}`}>{look.glyph}</Text>
      <View className="entry__body">
        <Text className="entry__label">{item.reason ? `${look.label} · ${item.reason}` : look.label}</Text>
        <Text className="muted">
          {formatClock(item.createdAt)}
          {item.balanceAfter === null ? '' : ` · 余额 ${groupDigits(item.balanceAfter)}`}
        </Text>
      </View>
      <Text className={`entry__delta ${item.delta > 0 ? 'entry__delta--plus' : ''}`}>{signedPoints(item.delta)}</Text>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { api } from '../../api/client';
import { Empty, Failure, Loading } from '../../components/status-view';
import { formatDay, groupDigits } from '../../lib/format';
import { useRemote } from '../../lib/use-remote';

const loadFirstPage = () => api('history', { limit: 20 });

/** First page only; paging arrives with the history issue. */
export default function History() {
  const [page, reload] = useRemote(loadFirstPage);
  if (page.state === 'loading') return <Loading />;
  if (page.state === 'error') return <Failure message={page.message} onRetry={() => void reload()} />;
  if (page.data.items.length === 0) return <Empty title="暂无积分记录" />;
  return (
    <View style={{ padding: '16px' }}>
      {page.data.items.map((item) => (
        <View key={item.id} style={{ display: 'flex', justifyContent: 'space-between', padding: '12px 0' }}>
          <Text>
            {item.reason ?? item.kind} · {formatDay(item.createdAt)}
          </Text>
          <Text>{(item.delta > 0 ? '+' : '') + groupDigits(item.delta)}</Text>
        </View>
      ))}
    </View>
  );
}

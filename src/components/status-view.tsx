import { Button, Text, View } from '@tarojs/components';
import './status-view.scss';

export function Loading() {
  return (
    <View className="status">
      <Text className="status__text">加载中…</Text>
    </View>
  );
}

export function Failure({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View className="status">
      <Text className="status__text">{message}</Text>
      <Button className="status__retry" onClick={onRetry}>
        重试
      </Button>
    </View>
  );
}

export function Empty({ title, hint }: { title: string; hint?: string }) {
  return (
    <View className="status">
      <Text className="status__title">{title}</Text>
      {hint ? <Text className="status__text">{hint}</Text> : null}
    </View>
  );
}

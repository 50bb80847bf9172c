import { Text, View } from '@tarojs/components';
import type { PropsWithChildren, ReactNode } from 'react';

const MARK = { ok: '✓', wait: '…', fail: '!' } as const;

/** The outcome card every flow ends on: a mark whose glyph and colour follow the tone, a title, then details. */
export function Result({ tone, title, children }: PropsWithChildren<{ tone: keyof typeof MARK; title: ReactNode }>) {
  return (
    <View className="result">
      <Text className={`result__mark ${tone === 'ok' ? '' : `result__mark--${tone}`}`}>{MARK[tone]}</Text>
      <Text className="result__title">{title}</Text>
      {children}
    </View>
  );
}

import { View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';
import './sheet.scss';

/** A bottom sheet over a dimmed page; tapping the dim closes it unless `busy`. */
export function Sheet({
  open,
  busy,
  onClose,
  children,
}: PropsWithChildren<{ open: boolean; busy?: boolean; onClose: () => void }>) {
  if (!open) return null;
  return (
    <View className="sheet">
      <View className="sheet__mask" onClick={() => (busy ? undefined : onClose())} />
      <View className="sheet__panel">{children}</View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { StaffGate } from '../../components/staff-gate';
import { go } from '../../lib/navigate';
import type { PageName } from '../../routes';
import './index.scss';

const TOOLS: { page: PageName; glyph: string; title: string; hint: string }[] = [
  { page: 'staffClaim', glyph: '码', title: '出示领积分码', hint: '顾客扫码领取本单积分' },
  { page: 'staffCheckout', glyph: '扫', title: '积分抵现收款', hint: '扫顾客的付款码，抵扣账单' },
  { page: 'staffVoucher', glyph: '核', title: '核销兑换券', hint: '扫顾客的券码，发放礼品' },
];

export default function StaffHome() {
  return (
    <StaffGate>
      {() => (
        <View className="tools">
          {TOOLS.map((t) => (
            <View key={t.page} className="tool" onClick={() => go(t.page)}>
              <Text className="tool__glyph">{t.glyph}</Text>
              <View className="tool__text">
                <Text className="tool__title">{t.title}</Text>
                <Text className="muted">{t.hint}</Text>
              </View>
            </View>
          ))}
        </View>
      )}
    </StaffGate>
  );
}

import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';

/**
 * A code field with a scan button: Taro.scanCode on a phone (barcode or QR),
 * typing as the fallback — H5 in a desktop browser cannot scan, and a
 * member's screen may be too scratched to read.
 */
export function ScanField({
  value,
  onChange,
  placeholder,
  digitsOnly,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
  digitsOnly?: boolean;
}) {
  const clean = (v: string) => (digitsOnly ? v.replace(/\D/g, '') : v.replace(/\s/g, '').toUpperCase());
  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode', 'qrCode'] });
      onChange(clean(r.result));
    } catch {
      void Taro.showToast({ title: '无法扫码，请手动输入', icon: 'none' });
    }
  };
  return (
    <View className="staff-scan">
      <Input
        className="field"
        type={digitsOnly ? 'number' : 'text'}
        placeholder={placeholder}
        value={value}
        onInput={(e) => onChange(clean(e.detail.value))}
      />
      <Text className="staff-scan__button" onClick={() => void scan()}>
        扫码
      </Text>
    </View>
  );
}

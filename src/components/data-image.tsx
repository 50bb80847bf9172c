import { Image } from '@tarojs/components';
import Taro from '@tarojs/taro';

/** A server-drawn SVG data URL (QR, barcode) at a size in design pixels (750 wide), scaled per device. */
export function DataImage({
  src,
  width,
  height,
  label,
}: {
  src: string;
  width: number;
  height: number;
  label: string;
}) {
  return (
    <Image
      className="data-image"
      src={src}
      mode="aspectFit"
      ariaLabel={label}
      style={{ width: Taro.pxTransform(width), height: Taro.pxTransform(height) }}
    />
  );
}

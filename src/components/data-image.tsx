import { Image } from '@tarojs/components';
import Taro from '@tarojs/taro';

/**
 * A server-drawn SVG data URL (QR, barcode) at a size in design pixels (750
 * wide), scaled per device. scaleToFill, because callers give the picture's
 * own aspect ratio, and Taro H5's aspectFit does not centre horizontally.
 */
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
      mode="scaleToFill"
      ariaLabel={label}
      style={{ width: Taro.pxTransform(width), height: Taro.pxTransform(height) }}
    />
  );
}

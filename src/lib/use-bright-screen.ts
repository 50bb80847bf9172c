import Taro from '@tarojs/taro';
import { useEffect } from 'react';

/**
 * While a code is shown to a scanner: keep the screen on and at full
 * brightness (a dim phone is the usual reason a till cannot read it), and
 * give the member their brightness back afterwards. Mini-program only; the
 * H5 build has neither API and skips this.
 */
export function useBrightScreen(): void {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'weapp') return undefined;
    let before: number | null = null;
    void Taro.getScreenBrightness()
      .then((r) => {
        before = r.value;
        return Taro.setScreenBrightness({ value: 1 });
      })
      .catch(() => undefined);
    void Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => undefined);
    return () => {
      if (before !== null) void Taro.setScreenBrightness({ value: before }).catch(() => undefined);
      void Taro.setKeepScreenOn({ keepScreenOn: false }).catch(() => undefined);
    };
  }, []);
}

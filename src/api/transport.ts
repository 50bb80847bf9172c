/**
 * Taro picks transport.weapp.ts or transport.h5.ts by TARO_ENV at build time;
 * this file is the fallback for other platforms and what tsc sees.
 */
import { ApiError, type Transport } from './endpoints';

export const transport: Transport = {
  init: () => undefined,
  call: () =>
    Promise.reject(
      new ApiError('UNSUPPORTED_PLATFORM', `no transport for ${process.env.TARO_ENV}`, 501, '当前平台暂不支持'),
    ),
};

/**
 * weapp: wx.cloud.callFunction({ name: 'member' | 'staff', data }). For
 * `member` WeChat injects the OPENID, so there is no login call and no
 * token; `staff` calls carry the staff token saved on the device
 * (function-call.ts builds the data and reads the answer).
 */
import Taro from '@tarojs/taro';
import { ApiError, type EndpointName, type RequestOf, type ResponseOf, type Transport } from './endpoints';
import { functionRequest, unwrap, type CallResult } from './function-call';

function init(): void {
  // Default cloud environment unless TARO_APP_CLOUD_ENV is set at build time.
  const env = process.env.TARO_APP_CLOUD_ENV;
  Taro.cloud.init(env ? { env, traceUser: true } : { traceUser: true });
}

async function call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const { fn, data } = functionRequest(name, req);
  let res: Taro.cloud.CallFunctionResult;
  try {
    res = await Taro.cloud.callFunction({ name: fn, data });
  } catch {
    throw new ApiError('NETWORK', 'callFunction failed', 0, '网络不可用，请稍后再试');
  }
  return unwrap(fn, res.result as CallResult<ResponseOf<K>>);
}

export const transport: Transport = { init, call };

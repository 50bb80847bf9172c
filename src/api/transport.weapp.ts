/**
 * weapp: wx.cloud.callFunction({ name: 'member', data: { action, data } }).
 * WeChat injects the OPENID, so there is no login call and no token; the
 * function answers { ok, data } or { ok: false, error } (member-call.ts).
 */
import Taro from '@tarojs/taro';
import { ApiError, ENDPOINTS, type EndpointName, type RequestOf, type ResponseOf, type Transport } from './endpoints';

type CallResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; status: number; details?: unknown } };

function init(): void {
  // Default cloud environment unless TARO_APP_CLOUD_ENV is set at build time.
  const env = process.env.TARO_APP_CLOUD_ENV;
  Taro.cloud.init(env ? { env, traceUser: true } : { traceUser: true });
}

async function call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const ep = ENDPOINTS[name];
  const action = 'action' in ep ? ep.action : undefined;
  if (!action) throw new ApiError('NOT_IN_MINIPROGRAM', `“${name}” 暂不支持小程序`, 501);
  let res: Taro.cloud.CallFunctionResult;
  try {
    res = await Taro.cloud.callFunction({ name: 'member', data: { action, data: req } });
  } catch {
    throw new ApiError('NETWORK', '网络不可用，请稍后再试', 0);
  }
  const result = res.result as CallResult<ResponseOf<K>>;
  if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.status);
  return result.data;
}

export const transport: Transport = { init, call };

/**
 * weapp: wx.cloud.callFunction({ name: audience, data: { action, data } }).
 * For `member` WeChat injects the OPENID, so there is no login call and no
 * token; `staff` calls add the staff token saved on the device. Functions
 * answer { ok, data } or { ok: false, error } (core/functions/*-call.ts).
 */
import Taro from '@tarojs/taro';
import { ApiError, ENDPOINTS, type EndpointName, type RequestOf, type ResponseOf, type Transport } from './endpoints';
import { zhOf } from './refusal';
import { forgetStaffToken, staffToken } from './staff-session';

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
  if (!action)
    throw new ApiError('NOT_IN_MINIPROGRAM', `${name} is not a cloud function action`, 501, '小程序暂不支持该功能');
  const token = ep.audience === 'staff' ? staffToken() : null;
  if (ep.audience === 'staff' && !token)
    throw new ApiError('STAFF_SIGNED_OUT', 'no staff token', 401, '请先登录店员账号');
  let res: Taro.cloud.CallFunctionResult;
  try {
    const data = token ? { action, token, data: req } : { action, data: req };
    res = await Taro.cloud.callFunction({ name: ep.audience, data });
  } catch {
    throw new ApiError('NETWORK', 'callFunction failed', 0, '网络不可用，请稍后再试');
  }
  const result = res.result as CallResult<ResponseOf<K>>;
  if (!result.ok) {
    if (ep.audience === 'staff' && result.error.status === 401) forgetStaffToken();
    const { code, message, status, details } = result.error;
    throw new ApiError(code, message, status, zhOf(details));
  }
  return result.data;
}

export const transport: Transport = { init, call };

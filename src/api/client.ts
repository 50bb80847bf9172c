/** The one door pages use: `api('me', {})`, typed by the endpoint table. */
import { ApiError, type EndpointName, type RequestOf, type ResponseOf } from './endpoints';
import { transport } from './transport';

export { ApiError };

export function initTransport(): void {
  transport.init();
}

export function api<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  return transport.call(name, req);
}

const BY_STATUS: Record<number, string> = {
  400: '输入有误，请检查后重试',
  401: '登录已失效，请重新进入',
  403: '没有权限进行此操作',
  404: '没有找到，请确认后重试',
  409: '状态已变化，请刷新后重试',
  410: '已过期',
  413: '内容太大',
  429: '操作太频繁，请稍后再试',
};

/**
 * A sentence fit to show a person, whatever was thrown: the server's Chinese
 * for refusals it knows (details.zh), else one per status. The server's
 * English message is for logs and developers, not for the screen.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.zh ?? BY_STATUS[e.status] ?? '服务暂时不可用，请稍后再试';
  return '出了点问题，请稍后再试';
}

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

/** A message fit to show a member, whatever was thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return '出了点问题，请稍后再试';
}

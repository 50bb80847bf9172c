/**
 * `notify`: the HTTP access service's function. WeChat Pay and Alipay post
 * their notifications to https://<domain>/notify/wechatpay and /notify/alipay;
 * the event becomes a Request for the one HTTP app (the same routes as
 * `npm start`) and its Response the integration response.
 */
import {
  isHttpEvent,
  toIntegrationResponse,
  toRequest,
  type IntegrationResponse,
} from '../../core/functions/http-event.js';
import { warmApp } from '../app-runtime.js';
import { callerOf, hasIdentity } from '../caller.js';
import { startFailure } from '../runtime.js';

const json = (statusCode: number, body: unknown): IntegrationResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
  isBase64Encoded: false,
});

export async function main(event: unknown, context?: unknown): Promise<IntegrationResponse> {
  // A callFunction from a client lands here too, whatever its data looks like:
  // it carries the caller's identity (or wx-server-sdk's userInfo), which an
  // HTTP access event never does. Only real HTTP requests reach the app.
  const fromClient =
    hasIdentity(callerOf(context)) || (typeof event === 'object' && event !== null && 'userInfo' in event);
  if (fromClient || !isHttpEvent(event)) {
    return json(400, { code: 'NOT_HTTP', message: 'Call this function over HTTP.' });
  }
  let app;
  try {
    app = await warmApp();
  } catch (e) {
    // A 5xx makes WeChat Pay and Alipay retry later; WeChat Pay reads code FAIL.
    const { message, status } = startFailure(e);
    return json(status, { code: 'FAIL', message });
  }
  return toIntegrationResponse(await app.fetch(toRequest(event)));
}

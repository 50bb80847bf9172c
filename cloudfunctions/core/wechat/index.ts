/**
 * The WeChat OpenAPI as one object, made from config.wechat once its appId and
 * secret are set (never in sandbox mode). Every call goes to `apiBase`, so
 * tests point it at a fake server.
 */
import type { Logger } from '../logger.js';
import { AccessTokens } from './access-token.js';
import { OpenApiClient } from './openapi-client.js';
import { phoneNumber, type PhoneInfo } from './phone-number.js';
import { code2session, type WechatSession } from './session.js';
import { sendSubscribeMessage, type SendResult, type SubscribeMessage } from './subscribe-message.js';
import { unlimitedCode, type EnvVersion, type UnlimitedCodeRequest } from './wxacode.js';

export { AccessTokens } from './access-token.js';
export { DEFAULT_API_BASE, errcodeOf } from './openapi-client.js';
export { fit } from './subscribe-message.js';
export type { PhoneInfo, WechatSession, SendResult, SubscribeMessage, EnvVersion, UnlimitedCodeRequest };
export type { MiniprogramState } from './subscribe-message.js';

export interface WechatOptions {
  appId: string;
  secret: string;
  /** Default https://api.weixin.qq.com. */
  apiBase?: string;
  clock?: () => number;
  logger?: Logger;
  /** Per call, default 5 s. */
  timeoutMs?: number;
  /** Which version of the mini-program codes open, default 'release'. */
  envVersion?: EnvVersion;
}

export interface Wechat {
  tokens: AccessTokens;
  code2session(code: string): Promise<WechatSession>;
  phoneNumber(code: string): Promise<PhoneInfo>;
  sendSubscribeMessage(message: SubscribeMessage): Promise<SendResult>;
  unlimitedCode(request: UnlimitedCodeRequest): Promise<Buffer>;
}

export function createWechat(opts: WechatOptions): Wechat {
  const { appId, secret } = opts;
  const client = new OpenApiClient({ apiBase: opts.apiBase, timeoutMs: opts.timeoutMs, logger: opts.logger });
  const tokens = new AccessTokens({ client, appId, secret, clock: opts.clock });
  const envVersion = opts.envVersion ?? 'release';
  return {
    tokens,
    code2session: (code) => code2session({ client, appId, secret }, code),
    phoneNumber: (code) => phoneNumber({ client, tokens }, code),
    sendSubscribeMessage: (message) => sendSubscribeMessage({ client, tokens }, message),
    unlimitedCode: (request) => unlimitedCode({ client, tokens, envVersion }, request),
  };
}

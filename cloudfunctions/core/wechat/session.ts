/**
 * wx.login code → the member's openid (jscode2session). The session key stays
 * on the server: it decrypts data the mini-program sends later.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { mapErrcodes, type OpenApiClient } from './openapi-client.js';

export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid: string | null;
}

export interface SessionDeps {
  client: OpenApiClient;
  appId: string;
  secret: string;
}

const SessionAnswer = z.object({
  openid: z.string().min(1),
  session_key: z.string().min(1),
  unionid: z.string().min(1).optional(),
});

const codeInvalid = () =>
  new DomainError('LOGIN_CODE_INVALID', 'The login code is invalid or already used; call wx.login again.', 401);

const blocked = () => new DomainError('LOGIN_BLOCKED', 'WeChat flagged this login as high-risk and blocked it.', 403);

export async function code2session(deps: SessionDeps, code: string): Promise<WechatSession> {
  if (code.trim() === '') throw codeInvalid();
  const query = { appid: deps.appId, secret: deps.secret, js_code: code, grant_type: 'authorization_code' };
  const answer = await mapErrcodes(deps.client.getJson('/sns/jscode2session', query, SessionAnswer), {
    40029: codeInvalid, // invalid code
    40163: codeInvalid, // code been used
    41008: codeInvalid, // missing code
    40226: blocked, // high-risk user
  });
  return { openid: answer.openid, sessionKey: answer.session_key, unionid: answer.unionid ?? null };
}

/**
 * Shared setup for the member-identity API tests: the real app in real
 * (non-sandbox) mode against the fake WeChat server, with every response body
 * kept so a test can search them, and a movable clock for the fake.
 */
import { FAKE_APPID, FAKE_SECRET, startFakeWechat, type FakeWechat } from '../support/fake-wechat.js';
import { call, type Fetcher, type JsonResponse } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

export const LOGIN_PATH = '/sns/jscode2session';
export const PHONE_PATH = '/wxa/business/getuserphonenumber';

type CallOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

export interface Member {
  token: string;
  memberId: string;
  openid: string;
}

export interface IdentityEnv {
  t: TestApp;
  fake: FakeWechat;
  /** Milliseconds added to the real clock the fake WeChat server sees. */
  fakeClock: { offset: number };
  /** Every response received, as `<status> <method> <path> <headers> <body text>`. */
  responses: string[];
  api<T = any>(method: string, path: string, opts?: CallOptions): Promise<JsonResponse<T>>;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<JsonResponse<T>>;
  /** A fresh login code for this openid, registered in the fake. */
  loginCode(openid: string, unionid?: string): string;
  /** Logs in through the fake with a fresh code; throws unless 200. */
  loginAs(openid: string, unionid?: string): Promise<Member>;
  /** A fresh getPhoneNumber code for this mainland number, registered in the fake. */
  phoneCode(purePhoneNumber: string, phoneNumber?: string): string;
  /** Binds the number through a fresh phone code. */
  bind(token: string, purePhoneNumber: string): Promise<JsonResponse>;
  close(): Promise<void>;
}

let seq = 0;
const next = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

export async function identityEnv(): Promise<IdentityEnv> {
  const fakeClock = { offset: 0 };
  const fake = await startFakeWechat(() => Date.now() + fakeClock.offset);
  const t = await testApp({ WECHAT_APPID: FAKE_APPID, WECHAT_SECRET: FAKE_SECRET, WECHAT_API_BASE: fake.url });
  const responses: string[] = [];
  const recording: Fetcher = async (path, init) => {
    const res = await t.fetch(path, init);
    const headers = JSON.stringify(Object.fromEntries(res.headers));
    responses.push(`${res.status} ${init?.method ?? 'GET'} ${path} ${headers} ${await res.clone().text()}`);
    return res;
  };
  const api = <T = any>(method: string, path: string, opts?: CallOptions) => call<T>(recording, method, path, opts);
  const loginCode = (openid: string, unionid?: string) => {
    const code = next('login');
    fake.addLoginCode(code, unionid ? { openid, unionid } : { openid });
    return code;
  };
  const phoneCode = (pure: string, phoneNumber = pure) => {
    const code = next('phone');
    fake.addPhoneCode(code, { phoneNumber, purePhoneNumber: pure, countryCode: '86' });
    return code;
  };
  return {
    t,
    fake,
    fakeClock,
    responses,
    api,
    admin: (method, path, body) => api(method, path, { token: TEST_ADMIN_TOKEN, body }),
    loginCode,
    async loginAs(openid, unionid) {
      const r = await api('POST', '/api/member/login', { body: { code: loginCode(openid, unionid) } });
      if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { token: r.body.token, memberId: r.body.member.id, openid };
    },
    phoneCode,
    bind: (token, pure) => api('POST', '/api/member/bind-phone', { token, body: { code: phoneCode(pure) } }),
    async close() {
      await fake.close();
      await t.close();
    },
  };
}

/** A fresh openid, unique across the run. */
export const openid = (name: string) => next(`o-${name}`);

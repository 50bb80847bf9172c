/**
 * H5 hosted on CloudBase: the same cloud functions the mini-program calls
 * (`member`, `staff`), through @cloudbase/js-sdk's callFunction, answering
 * { ok, data } / { ok: false, error } (core/functions/*-call.ts).
 *
 * Who the caller is — the limits, plainly:
 * - A web page has no WeChat OPENID. The member function accepts a web user
 *   only when signed in with a CloudBase custom-login ticket whose
 *   customUserId is the member's mini-program openid. Minting tickets needs
 *   the environment's custom-login private key, so it happens on the
 *   merchant's server, after it has verified the person (e.g. WeChat web
 *   OAuth with a UnionID): TARO_APP_CLOUDBASE_TICKET_URL answers { ticket }.
 * - Without that URL the page signs in anonymously. That is enough for staff
 *   actions (the staff token is the credential) but not for member ones: the
 *   function answers 401 and the app shows "请在微信小程序中打开".
 * The SDK is imported on first use, so a build that never selects this
 * transport does not download it.
 */
import type cloudbase from '@cloudbase/js-sdk';
import { ApiError, type EndpointName, type RequestOf, type ResponseOf, type Transport } from './endpoints';
import { functionRequest, unwrap, type CallResult } from './function-call';

const ENV = process.env.TARO_APP_CLOUD_ENV;
const REGION = process.env.TARO_APP_CLOUD_REGION;
const TICKET_URL = process.env.TARO_APP_CLOUDBASE_TICKET_URL;

let ready: Promise<cloudbase.app.App> | null = null;

async function getTicket(): Promise<string> {
  const res = await fetch(TICKET_URL!, { credentials: 'include' });
  if (!res.ok)
    throw new ApiError('TICKET_FAILED', `ticket endpoint answered ${res.status}`, 401, '登录失败，请重新打开页面');
  return ((await res.json()) as { ticket: string }).ticket;
}

// The SDK generations spell it differently.
const isAnonymous = (user: unknown) => {
  const u = user as { isAnonymous?: boolean; is_anonymous?: boolean; loginType?: string } | null;
  return Boolean(u?.isAnonymous || u?.is_anonymous || u?.loginType === 'ANONYMOUS');
};

async function start(): Promise<cloudbase.app.App> {
  if (!ENV) throw new ApiError('NOT_CONFIGURED', 'TARO_APP_CLOUD_ENV is not set', 500, '应用未配置云环境');
  const sdk = (await import('@cloudbase/js-sdk')).default;
  const app = sdk.init(REGION ? { env: ENV, region: REGION } : { env: ENV });
  const auth = app.auth({ persistence: 'local' });
  const state = await auth.getLoginState();
  if (TICKET_URL) {
    // A kept anonymous session is no person: trade it for a ticket sign-in.
    if (!state || isAnonymous(state.user)) await auth.signInWithCustomTicket(getTicket);
  } else if (!state) {
    const { error } = await auth.signInAnonymously();
    if (error) throw new ApiError('SIGN_IN_FAILED', error.message, 401, '登录失败，请稍后再试');
  }
  return app;
}

function connected(): Promise<cloudbase.app.App> {
  ready ??= start().catch((e: unknown) => {
    ready = null; // the next call tries again
    throw e;
  });
  return ready;
}

async function call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const { fn, data } = functionRequest(name, req);
  const app = await connected();
  let res: cloudbase.functions.ICallFunctionResponse;
  try {
    res = await app.callFunction({ name: fn, data, parse: true });
  } catch (e) {
    // The SDK throws for transport failures and for platform refusals (no sign-in, no such function).
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    throw typeof code === 'string'
      ? new ApiError(code, message, 502, '服务暂时不可用，请稍后再试')
      : new ApiError('NETWORK', message, 0, '网络不可用，请稍后再试');
  }
  // A web member without a ticket sign-in is nobody to the member function: say where it works.
  const notHere = (status: number) =>
    fn === 'member' && status === 401 && !TICKET_URL ? '请在微信小程序中打开' : undefined;
  return unwrap(fn, res.result as CallResult<ResponseOf<K>>, notHere);
}

export const transport: Transport = {
  init: () => void connected().catch(() => undefined), // sign in early; call() reports any failure
  call,
};

/**
 * H5: fetch to the HTTP API on the same origin with a bearer token (or, when
 * built with TARO_APP_TRANSPORT=cloudbase, the cloud functions through
 * @cloudbase/js-sdk: transport.cloudbase.ts). Member
 * calls log in on demand with the code kept in localStorage
 * (`jifen.loginCode`, default 'demo'; in sandbox the code is the openid).
 * Staff calls carry the staff token saved on the device.
 */
import Taro from '@tarojs/taro';
import {
  ApiError,
  ENDPOINTS,
  type EndpointName,
  type LiveBalance,
  type RequestOf,
  type ResponseOf,
  type Transport,
} from './endpoints';
import { fillPath, queryString } from './path';
import { readSse } from './sse';
import { zhOf } from './refusal';
import { requireStaffToken, staffRefused } from './staff-session';
import { transport as cloudbase } from './transport.cloudbase';
import type { ApiErrorBody, LoginResponse } from './types';

const TOKEN_KEY = 'jifen.session';
const CODE_KEY = 'jifen.loginCode';

async function send(method: string, url: string, body: unknown, token: string | null): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError('NETWORK', 'fetch failed', 0, '网络不可用，请稍后再试');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: report the status, not a parse error.
  }
  if (!res.ok) {
    const err = (json ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(err.code ?? 'HTTP_' + res.status, err.message ?? res.statusText, res.status, zhOf(err.details));
  }
  return json;
}

async function login(): Promise<string> {
  const code = window.localStorage.getItem(CODE_KEY) || 'demo';
  const session = (await send('POST', ENDPOINTS.login.path, { code }, null)) as LoginResponse;
  Taro.setStorageSync(TOKEN_KEY, session.token);
  return session.token;
}

async function asStaff(method: string, url: string, body: unknown): Promise<unknown> {
  try {
    return await send(method, url, body, requireStaffToken());
  } catch (e) {
    if (e instanceof ApiError) staffRefused(e.status);
    throw e;
  }
}

async function asMember(method: string, url: string, body: unknown): Promise<unknown> {
  const stored = (Taro.getStorageSync(TOKEN_KEY) as string) || null;
  const token = stored ?? (await login());
  try {
    return await send(method, url, body, token);
  } catch (e) {
    // An expired session: log in once more and retry once.
    if (!(e instanceof ApiError) || e.status !== 401 || !stored) throw e;
    Taro.removeStorageSync(TOKEN_KEY);
    return send(method, url, body, await login());
  }
}

async function call<K extends EndpointName>(name: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const ep = ENDPOINTS[name];
  const { url, rest } = fillPath(ep.path, req as object);
  const target = ep.method === 'GET' ? url + queryString(rest) : url;
  const body = ep.method === 'GET' ? undefined : rest;
  if (!ep.auth) return (await send(ep.method, target, body, null)) as ResponseOf<K>;
  const answer = ep.audience === 'staff' ? asStaff(ep.method, target, body) : asMember(ep.method, target, body);
  return (await answer) as ResponseOf<K>;
}

const EVENTS_PATH = '/api/member/events';
/** Reconnecting after a failure waits this long, doubling up to RETRY_MAX_MS; a stream that opened resets it. */
const RETRY_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * The live balance over Server-Sent Events, read with fetch (EventSource
 * cannot carry the bearer token). The server ends a stream every 10 minutes
 * and on restart; this reconnects, logging in again when the session expired.
 */
function live(onBalance: (b: LiveBalance) => void): () => void {
  let stopped = false;
  let ctl: AbortController | null = null;
  let wait = RETRY_MS;
  const run = async () => {
    while (!stopped) {
      ctl = new AbortController();
      try {
        const token = ((Taro.getStorageSync(TOKEN_KEY) as string) || null) ?? (await login());
        const res = await fetch(EVENTS_PATH, { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
        if (res.status === 401) Taro.removeStorageSync(TOKEN_KEY);
        if (res.ok && res.body) {
          wait = RETRY_MS;
          await readSse(res.body, (e) => {
            if (e.event === 'balance') onBalance(JSON.parse(e.data) as LiveBalance);
          });
        }
      } catch {
        // Offline, aborted, or a restart: try again below unless stopped.
      }
      if (stopped) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, RETRY_MAX_MS);
    }
  };
  void run();
  return () => {
    stopped = true;
    ctl?.abort();
  };
}

const http: Transport = { init: () => undefined, call, live };

export const transport: Transport = process.env.TARO_APP_TRANSPORT === 'cloudbase' ? cloudbase : http;

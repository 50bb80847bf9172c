/**
 * The console's one door to the server: the operator's session token on
 * every call, errors as a sentence a person can act on, and a signed-out
 * state when the session ends (8 hours, a new password, a disabled account).
 */
const TOKEN_KEY = 'jifen.console.token';
const OPERATOR_KEY = 'jifen.console.operator';

export type Role = 'hq' | 'manager' | 'cashier';
export interface Operator {
  id: string;
  username: string;
  role: Role;
  storeIds: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BY_CODE: Record<string, string> = {
  LOGIN_FAILED: '用户名或密码错误',
  ACCOUNT_LOCKED: '密码错误次数过多，账号已锁定 15 分钟',
  FORBIDDEN: '当前角色没有此权限',
  MEMBER_FROZEN: '会员已冻结',
  INSUFFICIENT_POINTS: '积分不足',
  VALIDATION_FAILED: '输入有误',
  USERNAME_TAKEN: '用户名已被使用',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  NOT_FOUND: '没有找到',
};

/** What to show a person for a failed call. */
export function describe(e: unknown): string {
  if (e instanceof ApiError) {
    const zh = BY_CODE[e.code];
    if (e.code === 'VALIDATION_FAILED') return `${zh}：${e.message}`;
    return zh ?? (e.status === 0 ? '网络不可用，请检查连接' : `服务暂时不可用（${e.status}）`);
  }
  return '出了点问题，请稍后再试';
}

let onSignedOut: () => void = () => undefined;
export const whenSignedOut = (fn: () => void) => void (onSignedOut = fn);

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  operator: (): Operator | null => JSON.parse(localStorage.getItem(OPERATOR_KEY) ?? 'null') as Operator | null,
  save(token: string, operator: Operator) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(OPERATOR_KEY, JSON.stringify(operator));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(OPERATOR_KEY);
  },
};

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'fetch failed');
  }
}

/** A CSV body (batch grants), with the idempotency key that makes a retried upload one batch. */
export async function postCsv<T>(path: string, csv: string, idempotencyKey?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'text/csv' };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers, body: csv });
  } catch {
    throw new ApiError(0, 'NETWORK', 'fetch failed');
  }
  const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(res.status, json?.code ?? `HTTP_${res.status}`, json?.message ?? res.statusText);
  return json as T;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/console/login') {
      session.clear();
      onSignedOut();
    }
    throw new ApiError(res.status, json?.code ?? `HTTP_${res.status}`, json?.message ?? res.statusText);
  }
  return json as T;
}

/** Downloads a CSV export with the session (a plain link could not carry the token). */
export async function download(path: string, filename: string): Promise<void> {
  const res = await send('GET', path);
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

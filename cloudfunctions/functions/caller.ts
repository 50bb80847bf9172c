/**
 * Who called the function, as CloudBase tells it: for each invocation the
 * runtime puts the caller's identity in environment variables listed by
 * WX_CONTEXT_KEYS (mini-program: WX_OPENID, WX_APPID, WX_UNIONID) and
 * TCB_CONTEXT_KEYS (web SDK users: TCB_UUID, TCB_CUSTOM_USER_ID,
 * TCB_ISANONYMOUS_USER); newer runtimes also pass them in
 * `context.environment` (JSON). This is what wx-server-sdk's getWXContext()
 * and @cloudbase/node-sdk's getCloudbaseContext() read; it is read here
 * directly because loading either SDK costs 0.2–1 s of every cold start
 * (tests/functions/caller.test.ts checks we agree with both).
 */
type Env = Record<string, string | undefined>;

export interface Caller {
  /** The mini-program user (WeChat injects it; a client cannot forge it). */
  openid: string | null;
  appid: string | null;
  unionid: string | null;
  /** Any signed-in web user (anonymous ones too). */
  uid: string | null;
  /** A web user signed in with a custom-login ticket our side minted. */
  customUserId: string | null;
  /** A web user signed in anonymously: a browser, not a person. */
  anonymousUid: string | null;
}

/** The invocation's own context, when the runtime passes one (JSON in context.environment). */
function fromContext(context: unknown): Env | null {
  const environment = (context as { environment?: unknown } | null)?.environment;
  if (typeof environment !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(environment);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Env) : {};
  } catch {
    return {};
  }
}

export function callerOf(context?: unknown, env: Env = process.env): Caller {
  // One source, never a mix: the invocation's context when the runtime gives
  // one, else the process environment (older runtimes). Keys listed in one
  // and read from the other could describe two different callers.
  const source = fromContext(context) ?? env;
  const keys = [source.WX_CONTEXT_KEYS, source.TCB_CONTEXT_KEYS]
    .flatMap((list) => (list ?? '').split(','))
    .filter(Boolean);
  const value = (name: string) => {
    if (!keys.includes(name)) return null;
    const v = source[name];
    return v ? String(v) : null;
  };
  const uid = value('TCB_UUID');
  return {
    openid: value('WX_OPENID'),
    appid: value('WX_APPID'),
    unionid: value('WX_UNIONID'),
    uid,
    customUserId: value('TCB_CUSTOM_USER_ID'),
    anonymousUid: value('TCB_ISANONYMOUS_USER') === 'true' ? uid : null,
  };
}

/**
 * Whether a person (a mini-program user, a web user, anonymous or not) made
 * this call: timers and HTTP access events have no one behind them.
 */
export function hasIdentity(c: Caller): boolean {
  return Boolean(c.openid || c.appid || c.unionid || c.uid || c.customUserId || c.anonymousUid);
}

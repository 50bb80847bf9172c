/**
 * A fake WeChat OpenAPI on 127.0.0.1 that speaks the real wire format (query
 * parameters, JSON bodies, errcodes) and records every request it receives.
 * Like the real one it answers 40029 to a phone code that is unknown, used or
 * older than 5 minutes (it does not tell them apart), and labels the
 * jscode2session answer text/plain.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, the raw text when it was not JSON, null when empty. */
  body: any;
}
export type Failure = { errcode: number } | { status: number } | { delayMs: number };
export type LoginUser = { openid: string; unionid?: string; blocked?: boolean };
export type FakePhone = { phoneNumber: string; purePhoneNumber: string; countryCode: string };

export const FAKE_APPID = 'wx-fake-app';
export const FAKE_SECRET = 'fake-app-secret-0123456789';
export const PHONE_CODE_TTL_MS = 5 * 60_000;
export const sessionKeyOf = (code: string) => Buffer.from(`session:${code}`).toString('base64');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const VALUE_LIMITS: Record<string, number> = { thing: 20, number: 32, phrase: 5, character_string: 32 };
type Answer = object | Buffer;

export class FakeWechat {
  readonly requests: RecordedRequest[] = [];
  tokenTtlSeconds = 7200;
  url = '';
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly logins = new Map<string, LoginUser & { used?: boolean }>();
  private readonly phones = new Map<string, { phone: FakePhone; issuedAt: number; used?: boolean }>();
  private readonly credits = new Map<string, number>();
  private readonly openids = new Set<string>();
  private readonly tokens = new Map<string, { expiresAt: number; revoked?: boolean }>();
  private readonly failures: Array<{ failure: Failure; path?: string }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private tokenCount = 0;

  constructor(readonly clock: () => number = Date.now) {}

  requestsTo = (path: string) => this.requests.filter((r) => r.path === path);
  clearRequests = () => void this.requests.splice(0);
  get currentToken() {
    return this.tokenCount === 0 ? null : `token-${this.tokenCount}`;
  }
  /** The current token answers 42001 from now on. */
  expireToken = () => this.tokens.set(this.currentToken ?? '', { expiresAt: this.clock() });
  /** The current token answers 40001 from now on. */
  revokeToken = () => this.tokens.set(this.currentToken ?? '', { expiresAt: Infinity, revoked: true });
  addLoginCode(code: string, user: LoginUser) {
    this.logins.set(code, { ...user });
    this.openids.add(user.openid);
  }
  addPhoneCode = (code: string, phone: FakePhone) => this.phones.set(code, { phone, issuedAt: this.clock() });
  grantSubscribe(openid: string, templateId: string, sends = 1) {
    this.openids.add(openid);
    this.credits.set(`${openid}|${templateId}`, this.creditsLeft(openid, templateId) + sends);
  }
  creditsLeft = (openid: string, templateId: string) => this.credits.get(`${openid}|${templateId}`) ?? 0;
  /** The next `n` requests (to `path` only, when given) fail this way. */
  failNext(n: number, failure: Failure, path?: string) {
    for (let i = 0; i < n; i++) this.failures.push({ failure, path });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const request = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) };
    this.requests.push({ ...request, body: raw === '' ? null : parse(raw) });
    const at = this.failures.findIndex((f) => f.path === undefined || f.path === url.pathname);
    const failure = at < 0 ? undefined : this.failures.splice(at, 1)[0]!.failure;
    if (failure && 'delayMs' in failure) await new Promise((r) => this.timers.add(setTimeout(r, failure.delayMs)));
    if (failure && 'status' in failure) return void res.writeHead(failure.status).end('<html>upstream error</html>');
    const answer = failure && 'errcode' in failure ? err(failure.errcode, 'scripted') : this.route(request, parse(raw));
    if (res.destroyed) return;
    if (Buffer.isBuffer(answer)) return void res.writeHead(200, { 'content-type': 'image/png' }).end(answer);
    const type = url.pathname === '/sns/jscode2session' ? 'text/plain' : 'application/json; encoding=utf-8';
    res.writeHead(200, { 'content-type': type }).end(JSON.stringify(answer));
  }

  private route({ method, path, query: q }: Omit<RecordedRequest, 'body'>, body: any): Answer {
    const get = method === 'GET';
    if (path === '/cgi-bin/token') return get ? this.issueToken(q) : err(43001, 'require GET method');
    if (path === '/sns/jscode2session') return get ? this.login(q) : err(43001, 'require GET method');
    const handler = {
      '/wxa/business/getuserphonenumber': () => this.phone(body),
      '/cgi-bin/message/subscribe/send': () => this.subscribe(body),
      '/wxa/getwxacodeunlimit': () => this.wxacode(body),
    }[path];
    if (!handler) return err(40066, 'invalid url');
    if (get) return err(43002, 'require POST method');
    const token = q.access_token ? this.tokens.get(q.access_token) : undefined;
    if (!q.access_token) return err(41001, 'access_token missing');
    if (!token || token.revoked) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (this.clock() >= token.expiresAt) return err(42001, 'access_token expired');
    return typeof body === 'object' && body !== null ? handler() : err(47001, 'data format error');
  }

  private credentials(q: Record<string, string>, grant: string): Answer | null {
    if (q.grant_type !== grant) return err(40002, 'invalid grant_type');
    if (q.appid !== FAKE_APPID) return err(40013, 'invalid appid');
    return q.secret === FAKE_SECRET ? null : err(40125, 'invalid appsecret');
  }

  private issueToken(q: Record<string, string>): Answer {
    const refused = this.credentials(q, 'client_credential');
    if (refused) return refused;
    const token = `token-${++this.tokenCount}`;
    this.tokens.set(token, { expiresAt: this.clock() + this.tokenTtlSeconds * 1000 });
    return { access_token: token, expires_in: this.tokenTtlSeconds };
  }

  private login(q: Record<string, string>): Answer {
    const code = q.js_code ?? '';
    const user = this.logins.get(code);
    const refused = this.credentials(q, 'authorization_code');
    if (refused || !code) return refused ?? err(41008, 'missing code');
    if (!user) return err(40029, 'invalid code');
    if (user.used) return err(40163, 'code been used');
    user.used = true;
    if (user.blocked) return err(40226, 'high risk user');
    const { openid, unionid } = user;
    return { session_key: sessionKeyOf(code), openid, ...(unionid ? { unionid } : {}) };
  }

  private phone(body: { code?: unknown }): Answer {
    if (typeof body.code !== 'string') return err(47001, 'data format error');
    const entry = this.phones.get(body.code);
    if (!entry || entry.used || this.clock() - entry.issuedAt >= PHONE_CODE_TTL_MS) return err(40029, 'invalid code');
    entry.used = true;
    const watermark = { timestamp: Math.floor(entry.issuedAt / 1000), appid: FAKE_APPID };
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: { ...entry.phone, countryCode: Number(entry.phone.countryCode), watermark },
    };
  }

  private subscribe(body: { touser?: unknown; template_id?: unknown; data?: unknown }): Answer {
    if (typeof body.touser !== 'string' || !this.openids.has(body.touser)) return err(40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !body.template_id) return err(40037, 'invalid template id');
    const bad = Object.entries((body.data ?? { '': null }) as Record<string, any>).find(([key, v]) => {
      const limit = VALUE_LIMITS[key.replace(/\d+$/, '')] ?? 100;
      return typeof v?.value !== 'string' || v.value === '' || [...v.value].length > limit;
    });
    if (bad) return err(47003, `argument invalid! data.${bad[0]}.value invalid`);
    const left = this.creditsLeft(body.touser, body.template_id);
    if (left <= 0) return err(43101, 'user refuse to accept the msg');
    this.credits.set(`${body.touser}|${body.template_id}`, left - 1);
    return { errcode: 0, errmsg: 'ok', msgid: this.requests.length };
  }

  private wxacode(body: { scene?: unknown; page?: unknown }): Answer {
    if (typeof body.scene !== 'string' || body.scene.length > 32) return err(40169, 'invalid length for scene');
    if (typeof body.page !== 'string' || !/^[\w-]+(\/[\w-]+)*$/.test(body.page)) return err(41030, 'invalid page');
    return PNG;
  }
}

export const startFakeWechat = (clock?: () => number) => new FakeWechat(clock).listen();

const err = (errcode: number, errmsg: string) => ({ errcode, errmsg: `${errmsg} rid: fake-${errcode}` });

function parse(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return raw === '' ? null : raw;
  }
}

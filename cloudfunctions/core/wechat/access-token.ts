/**
 * The mini-program's access token (GET /cgi-bin/token). WeChat rate-limits
 * that endpoint and each new token starts retiring the previous one, so the
 * token is cached, renewed ahead of its expiry, and fetched by one request at
 * a time however many callers are waiting for it.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { errcodeOf, mapErrcodes, type OpenApiClient } from './openapi-client.js';

export const REFRESH_MARGIN_MS = 5 * 60_000;

/** invalid credential, access_token expired, invalid access_token. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 42001, 40014]);

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

const misconfigured = (what: string) => () =>
  new DomainError('WECHAT_CONFIG_INVALID', `WeChat refused our credentials: ${what}.`, 502);

export interface AccessTokenOptions {
  client: OpenApiClient;
  appId: string;
  secret: string;
  clock?: () => number;
}

export class AccessTokens {
  private cached: { token: string; refreshAt: number } | null = null;
  private inFlight: Promise<string> | null = null;
  private readonly clock: () => number;

  constructor(private readonly opts: AccessTokenOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  get(): Promise<string> {
    if (this.cached && this.clock() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Forget `token`, unless a newer one has already replaced it (then another caller refreshed first). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  /** fn(token); when WeChat says the token is no longer valid, once more with a fresh one. */
  async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await fn(token);
    } catch (err) {
      const errcode = errcodeOf(err);
      if (errcode === null || !TOKEN_ERRCODES.has(errcode)) throw err;
      this.invalidate(token);
      return fn(await this.get());
    }
  }

  private async refresh(): Promise<string> {
    const { client, appId, secret } = this.opts;
    const requestedAt = this.clock();
    const answer = await mapErrcodes(
      client.getJson('/cgi-bin/token', { grant_type: 'client_credential', appid: appId, secret }, TokenAnswer),
      {
        40013: misconfigured('check WECHAT_APPID'),
        40125: misconfigured('check WECHAT_SECRET'),
        40164: misconfigured("this server's IP is not on the mini-program's API allow-list"),
      },
    );
    const lifetime = answer.expires_in * 1000;
    // A lifetime shorter than the margin must not make every call refresh.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 2);
    this.cached = { token: answer.access_token, refreshAt: requestedAt + lifetime - margin };
    return answer.access_token;
  }
}

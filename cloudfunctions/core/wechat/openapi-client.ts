/**
 * The base of every outbound WeChat OpenAPI call: JSON over the global fetch
 * against a configurable base URL, one timeout per call. Failures every call
 * shares (WeChat down, busy, rate limited) are mapped here; any other errcode
 * becomes WECHAT_ERROR for the calling module to translate or let through.
 *
 * Query strings carry the secret, access tokens and login codes, and answers
 * carry session keys and phone numbers, so logs get the path and errcode only.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';

export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';
export const DEFAULT_TIMEOUT_MS = 5_000;

export type Query = Record<string, string>;

export interface OpenApiOptions {
  apiBase?: string;
  timeoutMs?: number;
  logger?: Logger;
}

const unavailable = (message: string, details?: unknown) =>
  new DomainError('WECHAT_UNAVAILABLE', message, 502, details);

/** The error a caller may see: the errcode only. WeChat's errmsg (with its rid) goes to the log (fail()). */
function errcodeError(errcode: number, path: string): DomainError {
  if (errcode === -1) return unavailable('WeChat is busy; please retry in a moment.', { errcode });
  if (errcode === 45009 || errcode === 45011) {
    return new DomainError('WECHAT_RATE_LIMITED', 'WeChat is limiting our calls; please retry later.', 429, {
      errcode,
    });
  }
  return new DomainError('WECHAT_ERROR', `WeChat refused ${path} (errcode ${errcode}).`, 502, { errcode });
}

/** The errcode of a WECHAT_ERROR, i.e. one left for the caller to interpret; null for anything else. */
export function errcodeOf(err: unknown): number | null {
  if (!(err instanceof DomainError) || err.code !== 'WECHAT_ERROR') return null;
  const errcode = (err.details as { errcode?: unknown } | undefined)?.errcode;
  return typeof errcode === 'number' ? errcode : null;
}

/** Awaits `call`, turning the errcodes in `map` into the errors the caller means. */
export async function mapErrcodes<T>(call: Promise<T>, map: Record<number, () => DomainError>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    const make = map[errcodeOf(err) ?? NaN];
    throw make ? make() : err;
  }
}

export class OpenApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: OpenApiOptions = {}) {
    this.base = (opts.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async getJson<S extends z.ZodType>(path: string, query: Query, schema: S): Promise<z.output<S>> {
    return this.json(path, await this.send(path, query, { method: 'GET' }), schema);
  }

  async postJson<S extends z.ZodType>(path: string, query: Query, body: unknown, schema: S): Promise<z.output<S>> {
    return this.json(path, await this.send(path, query, jsonPost(body)), schema);
  }

  /** For endpoints that answer with an image on success and a JSON errcode otherwise. */
  async postForImage(path: string, query: Query, body: unknown): Promise<Buffer> {
    const res = await this.send(path, query, jsonPost(body));
    if (res.ok && /^image\//i.test(res.headers.get('content-type') ?? '')) {
      const bytes = await res.arrayBuffer().catch(() => null);
      if (bytes) return Buffer.from(bytes);
      throw this.fail(path, { reason: 'body' }, unavailable('WeChat stopped answering; please retry.'));
    }
    await this.json(path, res, z.unknown());
    throw this.fail(path, { reason: 'not an image' }, unavailable('WeChat answered without the image.'));
  }

  private async send(path: string, query: Query, init: RequestInit): Promise<Response> {
    const url = `${this.base}${path}?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const reason = (err as Error | undefined)?.name === 'TimeoutError' ? 'timeout' : 'network';
      throw this.fail(path, { reason }, unavailable('WeChat is not answering; please retry.'));
    }
    if (res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      throw this.fail(path, { status: res.status }, unavailable('WeChat is having trouble; please retry.'));
    }
    return res;
  }

  private async json<S extends z.ZodType>(path: string, res: Response, schema: S): Promise<z.output<S>> {
    // WeChat labels some JSON answers text/plain (jscode2session), so the content type is not consulted.
    const text = await res.text().catch(() => null);
    if (text === null)
      throw this.fail(path, { reason: 'body' }, unavailable('WeChat stopped answering; please retry.'));
    const body = parseJson(text);
    if (typeof body !== 'object' || body === null) {
      throw this.fail(path, { status: res.status, reason: 'not json' }, unavailable('WeChat answered with no JSON.'));
    }
    const { errcode, errmsg } = body as { errcode?: unknown; errmsg?: unknown };
    if (typeof errcode === 'number' && errcode !== 0)
      throw this.fail(
        path,
        { errcode, errmsg: typeof errmsg === 'string' ? errmsg : undefined },
        errcodeError(errcode, path),
      );
    const parsed = res.ok ? schema.safeParse(body) : undefined;
    if (!parsed?.success) {
      throw this.fail(path, { status: res.status, reason: 'unexpected answer' }, unavailable('WeChat answered oddly.'));
    }
    return parsed.data;
  }

  private fail(path: string, facts: Record<string, unknown>, err: DomainError): DomainError {
    const level = err.code === 'WECHAT_ERROR' ? 'info' : 'warn';
    this.opts.logger?.[level]({ wechat: path, ...facts }, 'wechat call failed');
    return err;
  }
}

function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

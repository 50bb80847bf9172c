/** A POS's open API client for tests: signs each request as docs/open-api.md says. */
import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../../cloudfunctions/core/open/signature.js';
import { call, type Fetcher, type JsonResponse } from './http.js';

export interface OpenKey {
  keyId: string;
  secret: string;
}

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  nonce?: string;
  /** Signs with this secret instead of the key's (a forger). */
  secret?: string;
  /** Changes the body after signing (tampering in transit). */
  tamper?: (body: string) => string;
}

export const newNonce = () => randomBytes(12).toString('hex');

export function openCall(
  f: Fetcher,
  key: OpenKey,
  method: string,
  pathWithQuery: string,
  body?: unknown,
  o: SignOptions = {},
): Promise<JsonResponse> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = signedHeaders(key.keyId, o.secret ?? key.secret, {
    method,
    pathWithQuery,
    timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
    nonce: o.nonce ?? newNonce(),
    body: text,
  });
  return call(f, method, pathWithQuery, {
    headers,
    body: body === undefined ? undefined : (o.tamper?.(text) ?? text),
  });
}

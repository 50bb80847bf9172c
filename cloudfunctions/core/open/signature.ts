/**
 * The open API's request signature (DESIGN "Open API v1"), used both ways:
 * to check what a POS or ERP sends, and to sign the webhooks we send. The
 * signed text is METHOD, the path with its query exactly as sent, the Unix
 * timestamp, the nonce and the SHA-256 (hex) of the body, one per line; the
 * signature is base64 HMAC-SHA256 under the secret's UTF-8 text.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way. */
export const SIGNATURE_WINDOW_S = 300;

export const HEADERS = {
  keyId: 'x-jifen-key-id',
  timestamp: 'x-jifen-timestamp',
  nonce: 'x-jifen-nonce',
  signature: 'x-jifen-signature',
} as const;

export interface SignedParts {
  method: string;
  /** The path and query exactly as sent, e.g. /open/v1/members?phone=13800001234 */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  body: string | Uint8Array;
}

export const bodyHash = (body: string | Uint8Array) => createHash('sha256').update(body).digest('hex');

export function signedText(p: SignedParts): string {
  return [p.method.toUpperCase(), p.pathWithQuery, p.timestamp, p.nonce, bodyHash(p.body)].join('\n');
}

export function sign(secret: string, p: SignedParts): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(signedText(p)).digest('base64');
}

/** Constant-time comparison of a given signature with the one `secret` makes. */
export function signatureMatches(secret: string, p: SignedParts, given: string): boolean {
  const want = Buffer.from(sign(secret, p), 'base64');
  const got = Buffer.from(given, 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The four headers of a signed request (or a webhook delivery). */
export function signedHeaders(keyId: string, secret: string, p: SignedParts): Record<string, string> {
  return {
    [HEADERS.keyId]: keyId,
    [HEADERS.timestamp]: p.timestamp,
    [HEADERS.nonce]: p.nonce,
    [HEADERS.signature]: sign(secret, p),
  };
}

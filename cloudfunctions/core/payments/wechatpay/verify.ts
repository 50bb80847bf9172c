/**
 * WeChat Pay API v3 notification signatures, with node:crypto over the exact
 * raw body (never a re-serialized one): `timestamp\nnonce\nbody\n`, RSA-SHA256,
 * base64. The serial picks the key (public key id or platform certificate).
 */
import { verify as rsaVerify, type KeyObject } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';

export const MAX_SKEW_SECONDS = 300;

export interface SignedHeaders {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  serial?: string;
}

const bad = (message: string) => new DomainError('SIGNATURE_INVALID', message, 401);

export function verifyWechatPaySignature(
  headers: SignedHeaders,
  rawBody: Uint8Array,
  keys: ReadonlyMap<string, KeyObject>,
  nowMs: number,
): void {
  const { signature, timestamp, nonce, serial } = headers;
  if (!signature || !timestamp || !nonce || !serial)
    throw bad('Wechatpay-Signature, -Timestamp, -Nonce and -Serial are required.');
  // Deliberate probes from WeChat Pay: they must fail.
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) throw bad('Signature probe refused.');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw bad('Wechatpay-Timestamp is more than 5 minutes off.');
  }
  const key = keys.get(serial) ?? keys.get(serial.toUpperCase());
  if (!key) throw bad('Wechatpay-Serial names no key we know.');
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), rawBody, Buffer.from('\n')]);
  let ok = false;
  try {
    ok = rsaVerify('RSA-SHA256', message, key, Buffer.from(signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) throw bad('Wechatpay-Signature does not verify.');
}

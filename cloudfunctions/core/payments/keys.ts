/**
 * Keys are given as PEM text or a path to a PEM file (DESIGN, "Keys"); the
 * Alipay ones also as the bare base64 the Alipay console shows (what
 * alipay-sdk accepts), which we turn into PEM.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class KeyError extends Error {
  override name = 'KeyError';
}

/** PEM text as is (with literal "\n" from one-line env values turned into newlines), or the file it names. */
export function pemOrFile(value: string, variable: string): string {
  const text = value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readPem(value, variable);
  if (!text.includes('-----BEGIN')) throw new KeyError(`${variable}: not PEM text`);
  return text;
}

function readPem(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new KeyError(`${variable}: neither PEM text nor a readable file (${path})`);
  }
}

export function publicKey(pem: string, variable: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new KeyError(`${variable}: not a valid public key`);
  }
}

/** Platform certificates, several allowed in one value: serial (upper-case hex) → public key. */
export function certificateKeys(pemText: string, variable: string): Map<string, KeyObject> {
  const blocks = pemText.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new KeyError(`${variable}: no certificate found`);
  const keys = new Map<string, KeyObject>();
  for (const block of blocks) {
    try {
      const cert = new X509Certificate(block);
      keys.set(cert.serialNumber.toUpperCase(), cert.publicKey);
    } catch {
      throw new KeyError(`${variable}: a certificate could not be read`);
    }
  }
  return keys;
}

/** Bare base64 of a DER key: long (a path is short) and nothing but base64 characters. */
const BARE_BASE64 = /^[A-Za-z0-9+/=\s]{200,}$/;

/** A public key as PEM: PEM text, a PEM file, or the bare base64 of its SPKI DER. */
export function publicKeyPem(value: string, variable: string): string {
  if (!value.includes('-----BEGIN') && BARE_BASE64.test(value)) {
    try {
      const der = Buffer.from(value.replace(/\s+/g, ''), 'base64');
      return createPublicKey({ key: der, format: 'der', type: 'spki' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    } catch {
      throw new KeyError(`${variable}: looks like base64 but is not a public key`);
    }
  }
  const pem = pemOrFile(value, variable);
  publicKey(pem, variable);
  return pem;
}

/** A private key as PEM: PEM text, a PEM file, or the bare base64 of its PKCS#8 or PKCS#1 DER. */
export function privateKeyPem(value: string, variable: string): string {
  if (!value.includes('-----BEGIN') && BARE_BASE64.test(value)) {
    const der = Buffer.from(value.replace(/\s+/g, ''), 'base64');
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      try {
        return createPrivateKey({ key: der, format: 'der', type }).export({ type: 'pkcs8', format: 'pem' }).toString();
      } catch {
        // not this encoding; try the next
      }
    }
    throw new KeyError(`${variable}: looks like base64 but is not a PKCS#8 or PKCS#1 private key`);
  }
  const pem = pemOrFile(value, variable);
  try {
    createPrivateKey(pem);
  } catch {
    throw new KeyError(`${variable}: not a valid private key`);
  }
  return pem;
}

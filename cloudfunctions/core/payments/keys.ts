/** Keys are given as PEM text or a path to a PEM file (DESIGN, "Keys"). */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
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

/**
 * Secrets at rest: AES-256-GCM under a key derived from JIFEN_SECRET for one
 * purpose only (HKDF with the purpose as its info), so no other use of the
 * secret can reveal them. Phone numbers and integration secrets are sealed
 * this way; the format `v1.<iv>.<ciphertext+tag>` is what the database holds.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const deriveKey = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'jifen', purpose, 32));

export function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${Buffer.concat([data, cipher.getAuthTag()]).toString('base64url')}`;
}

export function unseal(key: Buffer, sealed: string): string {
  const [version, iv, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !body) throw new Error('unknown sealing version');
  const data = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

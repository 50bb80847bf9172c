/**
 * Phone numbers under PIPL: encrypted at rest (AES-256-GCM), found by a keyed
 * hash, shown masked everywhere (138****1234). Both keys are derived from
 * JIFEN_SECRET for this purpose only, so no other use of the secret can
 * reveal them.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const derive = (secret: string, info: string) => Buffer.from(hkdfSync('sha256', secret, 'jifen', info, 32));

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export class PhoneVault {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(secret: string) {
    this.encKey = derive(secret, 'phone-encryption/v1');
    this.hashKey = derive(secret, 'phone-lookup/v1');
  }

  /** Same number, same hash: +86 and spacing do not matter. */
  hash(phone: string): string {
    const normalized = phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
    return createHmac('sha256', this.hashKey).update(normalized).digest('base64url');
  }

  encrypt(phone: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const data = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${Buffer.concat([data, cipher.getAuthTag()]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [version, iv, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !body) throw new Error('unknown phone encryption version');
    const data = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  }

  /** The masked number of a stored ciphertext, or null. */
  masked(sealed: string | null | undefined): string | null {
    return sealed ? maskPhone(this.decrypt(sealed)) : null;
  }
}

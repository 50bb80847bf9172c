/**
 * Phone numbers under PIPL: encrypted at rest (AES-256-GCM), found by a keyed
 * hash, shown masked everywhere (138****1234). Both keys are derived from
 * JIFEN_SECRET for this purpose only, so no other use of the secret can
 * reveal them.
 */
import { createHmac } from 'node:crypto';
import { deriveKey as derive, seal, unseal } from './sealing.js';

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
    return seal(this.encKey, phone);
  }

  decrypt(sealed: string): string {
    return unseal(this.encKey, sealed);
  }

  /** The masked number of a stored ciphertext, or null. */
  masked(sealed: string | null | undefined): string | null {
    return sealed ? maskPhone(this.decrypt(sealed)) : null;
  }
}

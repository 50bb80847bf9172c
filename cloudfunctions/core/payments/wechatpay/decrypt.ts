/**
 * The notification's `resource`: AES-256-GCM with the APIv3 key, its nonce and
 * associated_data; the last 16 bytes of the ciphertext are the tag, and a bad
 * tag is a refusal (decipher.final() checks it).
 */
import { createDecipheriv } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

const TAG_BYTES = 16;

export function decryptResource(resource: EncryptedResource, apiV3Key: Buffer): unknown {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new DomainError('MALFORMED', `Unsupported resource algorithm ${resource.algorithm}.`, 400);
  }
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new DomainError('MALFORMED', 'The resource ciphertext is too short.', 400);
  try {
    const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? ''));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new DomainError('MALFORMED', 'The resource does not decrypt with our APIv3 key (GCM tag check failed).', 400);
  }
}

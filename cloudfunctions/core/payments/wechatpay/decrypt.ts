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

const AES_256_KEY_BYTES = 32;

/**
 * Decrypts and parses; each way it can fail says what failed: a key that is
 * not 32 bytes is our configuration (503, so WeChat Pay retries once it is
 * fixed); a failed tag check or plaintext that is not JSON is the content (400).
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: Buffer): unknown {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new DomainError('MALFORMED', `Unsupported resource algorithm ${resource.algorithm}.`, 400);
  }
  if (apiV3Key.length !== AES_256_KEY_BYTES) {
    throw new DomainError('NOT_CONFIGURED', `The APIv3 key is ${apiV3Key.length} bytes; AES-256-GCM needs 32.`, 503);
  }
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) throw new DomainError('MALFORMED', 'The resource ciphertext is too short.', 400);
  if (!resource.nonce) throw new DomainError('MALFORMED', 'The resource has no nonce.', 400);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', apiV3Key, Buffer.from(resource.nonce));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? ''));
    plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DomainError('MALFORMED', 'The resource does not decrypt with our APIv3 key (GCM tag check failed).', 400);
  }
  try {
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new DomainError('MALFORMED', 'The resource decrypted, but what it holds is not JSON.', 400);
  }
}

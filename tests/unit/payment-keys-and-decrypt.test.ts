/**
 * What a merchant meets on day one: Alipay keys pasted as the bare base64 the
 * Alipay console shows, and WeChat Pay resources that fail to decrypt, each
 * failure named for what it is.
 */
import { createCipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alipayConfig } from '../../cloudfunctions/core/payments/payment-config.js';
import { decryptResource } from '../../cloudfunctions/core/payments/wechatpay/decrypt.js';
import { encryptResource } from '../../cloudfunctions/local/simulator/wechatpay-notification.js';

describe('Alipay keys as the console shows them', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const bare = (der: Buffer) => der.toString('base64');
  const env = (pub: string, priv: string) => ({
    ALIPAY_APP_ID: '2021000000000001',
    ALIPAY_PUBLIC_KEY: pub,
    ALIPAY_PRIVATE_KEY: priv,
  });

  it.each([
    ['PKCS#1 private key (the console, non-Java)', privateKey.export({ type: 'pkcs1', format: 'der' })],
    ['PKCS#8 private key (the console, Java)', privateKey.export({ type: 'pkcs8', format: 'der' })],
  ])('accepts bare base64: SPKI public key and %s', (_name, der) => {
    const c = alipayConfig(env(bare(publicKey.export({ type: 'spki', format: 'der' })), bare(der)));
    expect(c?.alipayPublicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(c?.privateKeyPem).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('still accepts PEM, and names the variable when a value is neither', () => {
    const pem = alipayConfig(
      env(
        publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      ),
    );
    expect(pem?.alipayPublicKeyPem).toContain('BEGIN PUBLIC KEY');
    const junk = 'A'.repeat(300);
    expect(() => alipayConfig(env(junk, bare(privateKey.export({ type: 'pkcs8', format: 'der' }))))).toThrow(
      /ALIPAY_PUBLIC_KEY/,
    );
    expect(() => alipayConfig(env(bare(publicKey.export({ type: 'spki', format: 'der' })), junk))).toThrow(
      /ALIPAY_PRIVATE_KEY/,
    );
  });
});

describe('decryptResource says which way it failed', () => {
  const key = randomBytes(16).toString('hex'); // 32 characters
  it('a wrong key or a tampered ciphertext is the GCM tag check', () => {
    const r = encryptResource({ a: 1 }, key, 'transaction');
    expect(decryptResource(r, Buffer.from(key))).toEqual({ a: 1 });
    expect(() => decryptResource(r, Buffer.from('x'.repeat(32)))).toThrow(/GCM tag check failed/);
  });

  it('plaintext that is not JSON is said to be that', () => {
    const nonce = 'abcdefghijkl';
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const data = Buffer.concat([cipher.update('not json {', 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const r = {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: data.toString('base64'),
      nonce,
      associated_data: 'transaction',
    };
    expect(() => decryptResource(r, Buffer.from(key))).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/not JSON/) }),
    );
  });

  it('a key that is not 32 bytes is our configuration: 503, so WeChat Pay retries once it is fixed', () => {
    const r = encryptResource({ a: 1 }, key, 'transaction');
    expect(() => decryptResource(r, Buffer.from('short-key'))).toThrow(
      expect.objectContaining({ status: 503, code: 'NOT_CONFIGURED', message: expect.stringMatching(/9 bytes/) }),
    );
  });
});

/**
 * Real keys made by the tests: the "platform" key pairs whose private halves
 * sign notifications (as WeChat Pay and Alipay would) and whose public halves
 * the server is configured with, plus an APIv3 key for AES-GCM.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';
import type { WechatSigner } from '../../cloudfunctions/local/simulator/wechatpay-notification.js';

export const MCHID = '1230000109';
export const APPID = 'wxd678efh567hg6787';
export const ALIPAY_APPID = '2021004100000001';

export function rsaPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface PaymentKeys {
  env: Record<string, string>;
  wechat: WechatSigner;
  /** Signs with the platform certificate's key (certificate mode), configured alongside the public key. */
  wechatCert: WechatSigner;
  /** A key pair the server does not know. */
  stranger: WechatSigner;
  alipayPrivateKeyPem: string;
  alipayStrangerPem: string;
}

export async function paymentKeys(): Promise<PaymentKeys> {
  const wechat = rsaPair();
  const certPair = rsaPair();
  const cert = await generate([{ name: 'commonName', value: 'Tenpay.com Root CA test' }], {
    keyPair: { privateKey: certPair.privateKeyPem, publicKey: certPair.publicKeyPem },
  });
  const serial = new (await import('node:crypto')).X509Certificate(cert.cert).serialNumber.toUpperCase();
  const alipay = rsaPair();
  const apiV3Key = randomBytes(24).toString('base64url');
  const publicKeyId = 'PUB_KEY_ID_0112345678202511250000000000';
  return {
    env: {
      WECHAT_APPID: APPID,
      WECHAT_SECRET: 'test-wechat-secret',
      WECHATPAY_MCHID: MCHID,
      WECHATPAY_APIV3_KEY: apiV3Key,
      WECHATPAY_PUBLIC_KEY_ID: publicKeyId,
      WECHATPAY_PUBLIC_KEY: wechat.publicKeyPem,
      WECHATPAY_PLATFORM_CERTS: cert.cert,
      ALIPAY_APP_ID: ALIPAY_APPID,
      ALIPAY_PRIVATE_KEY: rsaPair().privateKeyPem,
      ALIPAY_PUBLIC_KEY: alipay.publicKeyPem,
    },
    wechat: { privateKeyPem: wechat.privateKeyPem, serial: publicKeyId, apiV3Key },
    wechatCert: { privateKeyPem: certPair.privateKeyPem, serial, apiV3Key },
    stranger: { privateKeyPem: rsaPair().privateKeyPem, serial: publicKeyId, apiV3Key },
    alipayPrivateKeyPem: alipay.privateKeyPem,
    alipayStrangerPem: rsaPair().privateKeyPem,
  };
}

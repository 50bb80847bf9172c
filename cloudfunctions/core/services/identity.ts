/**
 * Who a member is. In sandbox mode a login code X is the member with openid X
 * and a phone code is the phone number itself; otherwise both codes go to
 * WeChat (jscode2session, getuserphonenumber). Nothing a client sends can
 * choose another member: the openid comes from WeChat, the member id from
 * our own signed session.
 */
import { errors } from '../domain/errors.js';
import type { Wechat } from '../wechat/index.js';
import type { PhoneInfo } from './phone-binding.js';

export interface WechatIdentity {
  openid: string;
  unionid: string | null;
}

export function loginResolver(wechat: Wechat | null): (code: string) => Promise<WechatIdentity> {
  if (!wechat) return async (code) => ({ openid: code, unionid: null });
  return async (code) => {
    const session = await wechat.code2session(code);
    return { openid: session.openid, unionid: session.unionid };
  };
}

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export function phoneResolver(wechat: Wechat | null): (code: string) => Promise<PhoneInfo> {
  if (wechat) return (code) => wechat.phoneNumber(code);
  return async (code) => {
    if (!MAINLAND_MOBILE.test(code)) {
      throw errors.validation('Sandbox: the phone code must be an 11-digit mainland mobile number.');
    }
    return { purePhoneNumber: code, countryCode: '86' };
  };
}

/** Posting signed notifications to the app and reading back what they did. */
import { call, type Fetcher } from './http.js';
import type { Store } from '../../cloudfunctions/core/store/port.js';
import type { SignedNotification } from '../../cloudfunctions/local/simulator/wechatpay-notification.js';

export const postWechat = (f: Fetcher, n: SignedNotification) =>
  call(f, 'POST', '/notify/wechatpay', { body: n.body, headers: n.headers });

export const postAlipay = (f: Fetcher, form: string) =>
  call(f, 'POST', '/notify/alipay', { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

/** The member's account by openid, or null when the payer never became a member. */
export async function balanceOf(store: Store, openid: string): Promise<number | null> {
  const member = await store.transaction((tx) => tx.findMemberByOpenid(openid));
  if (!member) return null;
  return (await store.getAccount(member.id))!.balance;
}

export async function memberIdOf(store: Store, openid: string): Promise<string> {
  const member = await store.transaction((tx) => tx.findMemberByOpenid(openid));
  if (!member) throw new Error(`no member with openid ${openid}`);
  return member.id;
}

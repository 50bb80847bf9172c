/**
 * Referral: a member shares the app with their code in the path
 * (onShareAppMessage in the mini-program, a link on H5); whoever opens it
 * accepts the code once. The server decides whether it counts (once, before
 * the first payment, never one's own) and pays both sides on the new
 * member's first payment.
 */
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { PAGES } from '../routes';

const HANDLED_KEY = 'jifen.referralHandled';

/** Accepts a code from the link that opened the app, once per code on this device. */
export async function acceptReferralOnce(code: string): Promise<void> {
  if (Taro.getStorageSync(HANDLED_KEY) === code) return;
  Taro.setStorageSync(HANDLED_KEY, code);
  try {
    await api('acceptReferral', { code });
    void Taro.showToast({ title: '已接受好友邀请', icon: 'none', duration: 3000 });
  } catch (e) {
    void Taro.showToast({ title: errorMessage(e), icon: 'none', duration: 3000 });
  }
}

/** My code, or null while it loads or when it cannot (sharing then carries no code). */
export function useReferralCode(): string | null {
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api('referral', {})
      .then((r) => live && setCode(r.code))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return code;
}

const homeWithCode = (code: string | null) => `${PAGES.home}${code ? `?ref=${encodeURIComponent(code)}` : ''}`;

/** What onShareAppMessage returns: the home page with my code. */
export const shareMessage = (code: string | null) => ({
  title: '邀你一起攒积分，消费就能兑换好礼',
  path: `/${homeWithCode(code)}`,
});

/** H5 has no share sheet: the same page as a link to copy. */
export const referralLink = (code: string) =>
  `${window.location.origin}${window.location.pathname}#/${homeWithCode(code)}`;

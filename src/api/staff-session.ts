/**
 * The staff token a cashier enters once on a till phone. Kept apart from the
 * member session: the same device may be a member's phone too, and signing
 * out of staff mode must not sign the member out.
 */
import Taro from '@tarojs/taro';
import { ApiError } from './endpoints';

const STAFF_KEY = 'jifen.staffToken';

export const staffToken = (): string | null => (Taro.getStorageSync(STAFF_KEY) as string) || null;
export const saveStaffToken = (token: string): void => Taro.setStorageSync(STAFF_KEY, token);
export const forgetStaffToken = (): void => Taro.removeStorageSync(STAFF_KEY);

/** The token a staff call carries; without one the call is refused before anything is sent. */
export function requireStaffToken(): string {
  const token = staffToken();
  if (!token) throw new ApiError('STAFF_SIGNED_OUT', 'no staff token', 401, '请先登录店员账号');
  return token;
}

/** Every transport reports a staff call's refusal here: a refused (revoked) token is forgotten, so the gate asks again. */
export function staffRefused(status: number): void {
  if (status === 401) forgetStaffToken();
}

/**
 * The staff token a cashier enters once on a till phone. Kept apart from the
 * member session: the same device may be a member's phone too, and signing
 * out of staff mode must not sign the member out.
 */
import Taro from '@tarojs/taro';

const STAFF_KEY = 'jifen.staffToken';

export const staffToken = (): string | null => (Taro.getStorageSync(STAFF_KEY) as string) || null;
export const saveStaffToken = (token: string): void => Taro.setStorageSync(STAFF_KEY, token);
export const forgetStaffToken = (): void => Taro.removeStorageSync(STAFF_KEY);

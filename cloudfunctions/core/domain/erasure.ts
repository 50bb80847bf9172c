/**
 * What erasing a member (data rights, DESIGN "Member data rights") removes
 * from records that must otherwise stay: the identifiers a payment platform
 * knows the person by. A payer id of another appid is `appid:openid`
 * (payments/wechatpay/handle.ts), and the notification's payload holds the
 * bare openid, so both forms are erased.
 */
export const ERASED = 'erased';

export function erasableIds(
  member: { openid: string | null; unionid: string | null },
  payerIds: readonly string[],
): string[] {
  const ids = new Set<string>();
  for (const id of [member.openid, member.unionid, ...payerIds]) {
    if (!id) continue;
    ids.add(id);
    const bare = id.slice(id.indexOf(':') + 1);
    if (bare && bare !== id) ids.add(bare);
  }
  // Longest first: erasing `appid:openid` before `openid` leaves no half-erased id behind.
  return [...ids].filter((id) => id.length >= 6).sort((a, b) => b.length - a.length);
}

/** `text` with every one of `ids` replaced by ERASED. */
export function eraseIn(text: string, ids: readonly string[]): string {
  return ids.reduce((t, id) => t.split(id).join(ERASED), text);
}

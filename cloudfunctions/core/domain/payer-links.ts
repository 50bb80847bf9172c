/**
 * Payer links: an Alipay buyer or another appid's openid tied to a member, so
 * that payer's later payments accrue without a scan. A link is evidence we
 * build up, not something one scan grants (DESIGN "Scan-to-bind"; the
 * hardening issue): the same member must claim `threshold` orders of the
 * payer before it is active; a different member's claim of an active link
 * suspends it and raises an alert; a suspended link credits nobody until HQ
 * or its member removes it. Pure: the services persist what this decides.
 */
export type PayerLinkStatus = 'pending' | 'active' | 'suspended' | 'removed';

export interface LinkState {
  memberId: string;
  status: PayerLinkStatus;
  /** Orders of this payer the member claimed while this link was theirs. */
  claims: number;
}

export interface AfterClaim {
  next: LinkState;
  /** A different member claimed an order of a payer linked (or suspended) to someone else: HQ should look. */
  conflict: boolean;
}

/** The link after `memberId` claimed one more order of this payer with a checkout ticket. */
export function linkAfterClaim(link: LinkState | null, memberId: string, threshold: number): AfterClaim {
  const fresh = (): LinkState => ({
    memberId,
    status: threshold > 0 && threshold <= 1 ? 'active' : 'pending',
    claims: 1,
  });
  if (!link || link.status === 'removed') return { next: fresh(), conflict: false };
  if (link.memberId === memberId) {
    const claims = link.claims + 1;
    const status = link.status === 'pending' && threshold > 0 && claims >= threshold ? 'active' : link.status;
    return { next: { ...link, claims, status }, conflict: false };
  }
  // Another member. An unproven candidate is simply replaced; an established link is contested.
  if (link.status === 'pending') return { next: fresh(), conflict: false };
  return { next: { ...link, status: 'suspended' }, conflict: true };
}

/** The member whose payments of this payer accrue directly, if any. */
export const linkedMember = (link: LinkState | null): string | null =>
  link?.status === 'active' ? link.memberId : null;

/** How a payer identity is shown to people: enough to recognise, not enough to reuse. */
export function maskPayer(payerId: string): string {
  const [scope, id] = payerId.includes(':') ? (payerId.split(':', 2) as [string, string]) : ['', payerId];
  const masked = id.length <= 8 ? `${id.slice(0, 2)}****` : `${id.slice(0, 4)}****${id.slice(-4)}`;
  return scope ? `${scope}:${masked}` : masked;
}

/**
 * A requestId for one member intent (one tap on 兑换). Made once per intent
 * and reused on retry, so a retried redemption gets the same voucher rather
 * than a second one. Not a secret: Math.random is enough.
 */
export function newRequestId(): string {
  const rand = () => Math.random().toString(36).slice(2, 10);
  return `app-${Date.now().toString(36)}-${rand()}${rand()}`.slice(0, 64);
}

/** The ticket from the page's `scene`, decoded (WeChat URL-encodes it). */
export function ticketOf(scene: string | undefined): string | null {
  if (!scene) return null;
  const ticket = decodeURIComponent(scene).trim().toUpperCase();
  return /^[A-Z2-9]{16}$/.test(ticket) ? ticket : null;
}

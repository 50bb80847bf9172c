/**
 * Which store a payment happened at (DESIGN, "Stores and staff"): what the
 * till put in the order (WeChat attach / Alipay passback_params or store_id),
 * else the configured out_trade_no prefix, else HQ.
 */
export const HQ = 'HQ';

const STORE_ID = /^[\w-]{1,32}$/;

/** attach / passback_params are free text set by the till; JSON {"store":"S001"} is our convention. */
export function storeFromTill(text: string | undefined): string | null {
  if (!text) return null;
  // Alipay's passback_params is often URL-encoded by the till.
  for (const candidate of [text, safeDecode(text)]) {
    try {
      const parsed = JSON.parse(candidate) as { store?: unknown };
      if (typeof parsed.store === 'string' && STORE_ID.test(parsed.store)) return parsed.store;
    } catch {
      // not JSON: try the next reading
    }
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function storeOf(
  fromTill: string | null,
  outTradeNo: string | null | undefined,
  prefixes: ReadonlyArray<[string, string]>,
): string {
  if (fromTill) return fromTill;
  const match = outTradeNo ? prefixes.find(([prefix]) => outTradeNo.startsWith(prefix)) : undefined;
  return match ? match[1] : HQ;
}

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

const CATEGORY = /^[\w\u4e00-\u9fff-]{1,32}$/;
const ITEMS_MAX = 20;

/**
 * Product categories of the order, for category rules: WeChat's attach holds
 * only 128 bytes, so the till puts amounts per category, e.g.
 * {"store":"S001","cat":{"tea":3000,"cake":2050}} (fen). Anything malformed
 * is ignored: the order then earns as one without line items.
 */
export function itemsFromTill(text: string | undefined): { category: string; amountFen: number }[] | null {
  if (!text) return null;
  for (const candidate of [text, safeDecode(text)]) {
    try {
      const parsed = JSON.parse(candidate) as { cat?: unknown };
      if (!parsed.cat || typeof parsed.cat !== 'object') continue;
      const items = Object.entries(parsed.cat as Record<string, unknown>)
        .filter(([c, f]) => CATEGORY.test(c) && Number.isSafeInteger(f) && (f as number) > 0)
        .slice(0, ITEMS_MAX)
        .map(([category, f]) => ({ category, amountFen: f as number }));
      return items.length > 0 ? items : null;
    } catch {
      // not JSON
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

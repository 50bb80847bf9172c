/** Fills `{name}` in a route path from the request and returns the fields left over. */
export function fillPath(path: string, req: object): { url: string; rest: Record<string, unknown> } {
  const rest: Record<string, unknown> = { ...req };
  const url = path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  return { url, rest };
}

export function queryString(params: Record<string, unknown>): string {
  const pairs = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** The Chinese sentence the server attaches to refusals a member can meet (details.zh). */
export function zhOf(details: unknown): string | undefined {
  const zh = (details as { zh?: unknown } | null | undefined)?.zh;
  return typeof zh === 'string' ? zh : undefined;
}

/** In-process counters for operators (GET /api/admin/metrics): what was refused, by channel and reason. */
export class Metrics {
  private readonly rejections = new Map<string, number>();

  rejected(channel: string, code: string): void {
    const key = `${channel}:${code}`;
    this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
  }

  snapshot(): { rejections: Record<string, number> } {
    return { rejections: Object.fromEntries(this.rejections) };
  }
}

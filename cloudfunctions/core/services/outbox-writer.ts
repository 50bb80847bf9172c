/**
 * Writing outbox messages inside a posting's transaction. A message for a
 * topic nobody consumes (no subscribe template configured for it) would be
 * a row written, read and marked skipped for nothing: it is not written.
 */
import type { OutboxRow, Tx } from '../store/port.js';

/**
 * Topics written whatever templates exist: rare (a few per member a year),
 * and what the member app's notices and the webhooks read.
 */
export const ALWAYS_WRITTEN: readonly string[] = ['tier.changed', 'points.expiring'];

export class OutboxWriter {
  /** `topics` null: every topic is wanted (tests and tools that read the outbox directly). */
  constructor(private readonly topics: ReadonlySet<string> | null) {}

  async add(tx: Tx, message: OutboxRow): Promise<void> {
    if (this.topics === null || this.topics.has(message.topic) || ALWAYS_WRITTEN.includes(message.topic)) {
      await tx.insertOutbox(message);
    }
  }
}

export const EVERY_TOPIC = new OutboxWriter(null);

/**
 * Webhooks out (DESIGN "Open API v1"): `points.changed`, `tier.changed` and
 * `voucher.used`, POSTed to the URLs HQ registers, signed like open API
 * requests (open/signature.ts; X-Jifen-Key-Id is the webhook's id), body
 * `{ id, type, createdAt, data }`.
 *
 * The event is an outbox row written in the same transaction as the change
 * (webhook-events.ts), only while some webhook wants its type. The outbox
 * dispatcher fans each one out to a `webhook.delivery` row per webhook,
 * then sends those with backoff until a 2xx. An event keeps its `id`
 * (`evt_<outbox id>`) across retries, so a receiver drops repeats by it.
 * The delivery rows are the delivery log HQ reads.
 */
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errors } from '../domain/errors.js';
import { isoInZone } from '../domain/time.js';
import type { Logger } from '../logger.js';
import { signedHeaders } from '../open/signature.js';
import type { OutboxMessage, Store, Tx } from '../store/port.js';
import { CONFIG_TTL_MS, plainDoc } from './config-docs.js';
import { deriveKey, seal, unseal } from './sealing.js';

export const WEBHOOK_EVENTS = ['points.changed', 'tier.changed', 'voucher.used', 'alert.raised'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const DELIVERY_TOPIC = 'webhook.delivery';
/** Tries before a delivery is given up (about a day and a half with the backoff below). */
export const DELIVERY_ATTEMPTS = 12;
const BACKOFF_MS = 30_000;
const BACKOFF_MAX_MS = 6 * 3_600_000;
const TIMEOUT_MS = 5_000;

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  status: 'active' | 'revoked';
  createdAt: number;
}
interface WebhookDoc extends Webhook {
  secret: string;
}

export interface Delivery {
  eventId: string;
  type: string;
  status: OutboxMessage['status'];
  attempts: number;
  nextAt: number;
  createdAt: number;
}

export class Webhooks {
  private readonly sealKey: Buffer;
  private cache: { at: number; hooks: WebhookDoc[] } | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      clock: () => number;
      secret: string;
      timeZone: string;
      /** Loopback and private addresses allowed (tests); refused otherwise. */
      allowPrivate: boolean;
      logger: Logger;
    },
  ) {
    this.sealKey = deriveKey(deps.secret, 'webhook-secret/v1');
  }

  async create(actor: string, input: { url: string; events: WebhookEvent[] }): Promise<Webhook & { secret: string }> {
    const url = await this.checkUrl(input.url);
    const now = this.deps.clock();
    const secret = `jfw_${randomBytes(32).toString('base64url')}`;
    const hook: Webhook = {
      id: `wh_${randomBytes(9).toString('base64url')}`,
      url,
      events: [...new Set(input.events)],
      status: 'active',
      createdAt: now,
    };
    await this.deps.store.transaction(async (tx) => {
      await tx.putConfig(plainDoc('webhook', hook.id, { ...hook, secret: seal(this.sealKey, secret) }, actor, now));
      await tx.insertAudit({
        actor,
        action: 'webhook.create',
        subject: hook.id,
        detail: { after: hook },
        createdAt: now,
      });
    });
    this.cache = null;
    await this.refresh();
    return { ...hook, secret };
  }

  async list(): Promise<Webhook[]> {
    return (await this.docs(true)).map(view).sort((a, b) => b.createdAt - a.createdAt);
  }

  async revoke(actor: string, id: string): Promise<Webhook> {
    const now = this.deps.clock();
    const after = await this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('webhook', id);
      if (!held) throw errors.notFound('Webhook');
      const doc = { ...(held.body as unknown as WebhookDoc), status: 'revoked' as const };
      await tx.putConfig(plainDoc('webhook', id, doc, actor, now));
      await tx.insertAudit({
        actor,
        action: 'webhook.revoke',
        subject: id,
        detail: { before: { status: 'active' }, after: { status: 'revoked' } },
        createdAt: now,
      });
      return view(doc);
    });
    this.cache = null;
    return after;
  }

  /** The newest deliveries of one webhook, at most `limit`. */
  async deliveries(id: string, limit = 100): Promise<Delivery[]> {
    const rows = await this.deps.store.outboxOfTopic(DELIVERY_TOPIC, 2_000);
    return rows
      .filter((m) => (m.payload as { webhookId?: string }).webhookId === id)
      .slice(0, limit)
      .map((m) => {
        const event = (m.payload as { event: { id: string; type: string } }).event;
        return {
          eventId: event.id,
          type: event.type,
          status: m.status,
          attempts: m.attempts,
          nextAt: m.nextAt,
          createdAt: m.createdAt,
        };
      });
  }

  /** Reads the webhooks again if the copy here is older than CONFIG_TTL_MS (each entry point calls this). */
  async refresh(): Promise<void> {
    await this.docs(false);
  }

  /** Whether an active webhook wants this type, as of the last refresh (a posting asks this inside its transaction). */
  wants(type: string): boolean {
    return (this.cache?.hooks ?? []).some((h) => h.status === 'active' && (h.events as string[]).includes(type));
  }

  /** Inside the dispatcher's claim: one delivery row per webhook that wants this event. */
  async fanOut(tx: Tx, m: OutboxMessage, now: number): Promise<void> {
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(m.topic)) return;
    const event = {
      id: `evt_${m.id}`,
      type: m.topic,
      createdAt: isoInZone(m.createdAt, this.deps.timeZone),
      data: m.payload,
    };
    for (const hook of await this.docs(false)) {
      if (hook.status !== 'active' || !(hook.events as string[]).includes(m.topic)) continue;
      await tx.insertOutbox({
        topic: DELIVERY_TOPIC,
        memberId: m.memberId,
        payload: { webhookId: hook.id, event },
        createdAt: now,
      });
    }
  }

  /** One try of one delivery: 'sent' on a 2xx; otherwise when to try again, or 'failed' after the last try. */
  async deliver(m: OutboxMessage): Promise<{ status: 'sent' | 'pending' | 'failed'; nextAt: number }> {
    const { webhookId, event } = m.payload as { webhookId: string; event: { id: string } };
    const hook = (await this.docs(false)).find((h) => h.id === webhookId);
    if (!hook || hook.status !== 'active') return { status: 'failed', nextAt: m.nextAt };
    const body = JSON.stringify(event);
    const path = new URL(hook.url);
    try {
      await this.checkUrl(hook.url); // again at send time: the name may resolve elsewhere now
      const headers = signedHeaders(hook.id, unseal(this.sealKey, hook.secret), {
        method: 'POST',
        pathWithQuery: path.pathname + path.search,
        timestamp: String(Math.floor(this.deps.clock() / 1000)),
        nonce: randomBytes(12).toString('hex'),
        body,
      });
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { status: 'sent', nextAt: m.nextAt };
      this.deps.logger.warn({ webhook: hook.id, event: event.id, status: res.status }, 'webhook refused');
    } catch (e) {
      this.deps.logger.warn({ webhook: hook.id, event: event.id, err: (e as Error).message }, 'webhook unreachable');
    }
    if (m.attempts + 1 >= DELIVERY_ATTEMPTS) return { status: 'failed', nextAt: m.nextAt };
    return { status: 'pending', nextAt: this.deps.clock() + Math.min(BACKOFF_MS * 2 ** m.attempts, BACKOFF_MAX_MS) };
  }

  private async docs(fresh: boolean): Promise<WebhookDoc[]> {
    const now = this.deps.clock();
    if (!fresh && this.cache && now - this.cache.at < CONFIG_TTL_MS && now >= this.cache.at) return this.cache.hooks;
    const hooks = (await this.deps.store.configDocs('webhook')).map((d) => d.body as unknown as WebhookDoc);
    this.cache = { at: now, hooks };
    return hooks;
  }

  /** http(s) only; loopback, private and link-local addresses refused unless allowed (JIFEN_WEBHOOK_ALLOW_PRIVATE). */
  private async checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw errors.validation('url must be an absolute http(s) URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw errors.validation('url must be http or https.');
    if (this.deps.allowPrivate) return url.toString();
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0) throw errors.validation(`${host} does not resolve.`);
    if (addresses.some(isPrivate))
      throw errors.validation('Webhook URLs on loopback or private addresses are refused.');
    return url.toString();
  }
}

const view = ({ secret: _sealed, ...hook }: WebhookDoc): Webhook => hook;

function isPrivate(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::1' || a === '::' || a.startsWith('fe80:') || a.startsWith('fc') || a.startsWith('fd')) return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  const [p, q] = v4.split('.').map(Number) as [number, number];
  if (Number.isNaN(p) || v4.split('.').length !== 4) return false;
  return (
    p === 10 ||
    p === 127 ||
    p === 0 ||
    (p === 172 && q >= 16 && q <= 31) ||
    (p === 192 && q === 168) ||
    (p === 169 && q === 254) ||
    (p === 100 && q >= 64 && q <= 127)
  );
}

/**
 * Webhooks out: a receiver on 127.0.0.1 that fails twice and then accepts
 * gets the event, with a signature it verifies (the open API scheme, keyed
 * by the webhook's secret), and drops a repeat by its id. The event is
 * written with the change (nothing is announced that did not commit), a
 * revoked webhook gets nothing more, and a URL on a private address is
 * refused unless JIFEN_WEBHOOK_ALLOW_PRIVATE is on.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, signatureMatches } from '../../cloudfunctions/core/open/signature.js';
import { adjust, call, login } from '../support/http.js';
import { TEST_ADMIN_TOKEN } from '../support/server-process.js';
import { testApp, type TestApp } from '../support/test-app.js';

interface Received {
  headers: Record<string, string>;
  path: string;
  body: string;
}

let t: TestApp;
let receiver: Server;
let url = '';
const received: Received[] = [];
/** What the receiver answers next, one status per request; 200 once the list is empty. */
const answers: number[] = [];

beforeAll(async () => {
  t = await testApp({ JIFEN_WEBHOOK_ALLOW_PRIVATE: 'on' });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, path: req.url ?? '', body });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/jifen?shop=1`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await t.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  call(t.fetch, method, path, { token: TEST_ADMIN_TOKEN, body });
/** Runs the outbox as the server's timer does, with the clock moved past any backoff. */
const dispatch = async () => {
  t.clock.offset += 7 * 3_600_000;
  return t.services.outbox.dispatchDue();
};

describe('webhooks', () => {
  it('deliver points.changed after two failures, signed, and the receiver drops the repeat by id', async () => {
    const made = await admin('POST', '/api/admin/webhooks', { url, events: ['points.changed'] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { id, secret } = made.body as { id: string; secret: string };

    const m = await login(t.fetch, 'webhook-member');
    expect((await adjust(t.fetch, m.memberId, 30, 'wh-1')).status).toBe(200);
    answers.push(500, 503); // the receiver is down twice
    await t.services.outbox.dispatchDue(); // the event is fanned out to one delivery per webhook
    expect(received).toHaveLength(0);
    await dispatch(); // first try: 500
    await dispatch(); // second try: 503
    await dispatch(); // third: 200
    expect(received).toHaveLength(3);

    // The receiver's side: verify, then keep each event id once.
    const seen = new Set<string>();
    const accepted: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
    for (const r of received) {
      const ok = signatureMatches(
        secret,
        {
          method: 'POST',
          pathWithQuery: r.path,
          timestamp: r.headers[HEADERS.timestamp]!,
          nonce: r.headers[HEADERS.nonce]!,
          body: r.body,
        },
        r.headers[HEADERS.signature]!,
      );
      expect(ok).toBe(true);
      expect(r.headers[HEADERS.keyId]).toBe(id);
      expect(
        signatureMatches(
          'jfw_wrong',
          {
            method: 'POST',
            pathWithQuery: r.path,
            timestamp: r.headers[HEADERS.timestamp]!,
            nonce: r.headers[HEADERS.nonce]!,
            body: r.body,
          },
          r.headers[HEADERS.signature]!,
        ),
      ).toBe(false);
      const event = JSON.parse(r.body);
      if (seen.has(event.id)) continue; // a repeat: dropped
      seen.add(event.id);
      accepted.push(event);
    }
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      type: 'points.changed',
      data: { memberId: m.memberId, kind: 'adjust', delta: 30, balance: 30 },
    });
    expect(new Set(received.map((r) => JSON.parse(r.body).id))).toEqual(new Set([accepted[0]!.id]));

    const log = await admin('GET', `/api/admin/webhooks/${id}/deliveries`);
    expect(log.body.items).toMatchObject([
      { eventId: accepted[0]!.id, type: 'points.changed', status: 'sent', attempts: 3 },
    ]);
    const listed = await admin('GET', '/api/admin/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    // Sent is sent: nothing goes again.
    await dispatch();
    expect(received).toHaveLength(3);
  });

  it('deliver alert.raised to a webhook that wants it, and write nothing for alerts when none does', async () => {
    const raise = (subject: string) =>
      t.services.store.transaction((tx) =>
        tx.insertAlert({ kind: 'risk.accrual_burst', subject, detail: { accruals: 5 }, createdAt: t.services.clock() }),
      );
    const before = (await t.store.counts()).outbox;
    await raise('member:m_none');
    expect((await t.store.counts()).outbox).toBe(before); // no webhook wants alerts: no outbox row
    const made = await admin('POST', '/api/admin/webhooks', { url, events: ['alert.raised'] });
    expect(made.status).toBe(201);
    await raise('member:m_burst');
    const from = received.length;
    await t.services.outbox.dispatchDue();
    await dispatch();
    const mine = received.slice(from).filter((r) => r.headers[HEADERS.keyId] === made.body.id);
    expect(mine.map((r) => JSON.parse(r.body))).toMatchObject([
      {
        type: 'alert.raised',
        data: { kind: 'risk.accrual_burst', subject: 'member:m_burst', detail: { accruals: 5 } },
      },
    ]);
    expect((await admin('POST', `/api/admin/webhooks/${made.body.id}/revoke`)).status).toBe(200);
  });

  it('announces only what committed, and nothing to a revoked webhook', async () => {
    const before = received.length;
    const m = await login(t.fetch, 'webhook-refused');
    // A deduction beyond the balance is refused: no event, so nothing to announce.
    expect((await adjust(t.fetch, m.memberId, -5, 'wh-refused')).status).toBe(409);
    await dispatch();
    expect(received.length).toBe(before);

    const hooks = (await admin('GET', '/api/admin/webhooks')).body.items as Array<{ id: string }>;
    for (const h of hooks) expect((await admin('POST', `/api/admin/webhooks/${h.id}/revoke`)).status).toBe(200);
    expect((await adjust(t.fetch, m.memberId, 5, 'wh-after-revoke')).status).toBe(200);
    await dispatch();
    expect(received.length).toBe(before);
    expect((await t.store.outboxOfTopic('points.changed', 10)).length).toBeGreaterThan(0);
  });

  it('refuses a URL on a private or loopback address unless allowed', async () => {
    const strict = await testApp();
    try {
      for (const bad of [
        'http://127.0.0.1:9/x',
        'http://10.1.2.3/x',
        'http://[::1]/x',
        'http://192.168.1.5/x',
        'ftp://example.com/x',
      ]) {
        const r = await call(strict.fetch, 'POST', '/api/admin/webhooks', {
          token: TEST_ADMIN_TOKEN,
          body: { url: bad, events: ['tier.changed'] },
        });
        expect([r.status, r.body.code], bad).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect((await strict.store.configDocs('webhook')).length).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

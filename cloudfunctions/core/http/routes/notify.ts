/**
 * Payment platform notifications. Answers are the platforms' own: WeChat Pay
 * 204 or { code: "FAIL", message } with 4xx/5xx; Alipay the body `success` or
 * `fail`. Rejections are counted and logged without their body.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { alipaySdk, handleAlipay } from '../../payments/alipay/handle.js';
import { handleWechatPay } from '../../payments/wechatpay/handle.js';
import { Admission } from '../admission.js';
import { MAX_BODY_BYTES } from '../body-limits.js';
import type { App, Services } from '../context.js';
import { domainErrorOf } from '../errors.js';
import { rawBody, TOO_LARGE } from '../raw-body.js';

type Channel = 'wechatpay' | 'alipay';

/** WeChat Pay waits about 5 s for an answer: a notification still queued after 4 s is told 503 and comes again. */
const NOTIFY_WAIT_MAX_MS = 4000;

/** Documented, not validated by the schema layer: signatures must see the raw bytes first. */
function document(app: App): void {
  const fail = {
    description: 'refused',
    content: { 'application/json': { schema: z.object({ code: z.literal('FAIL'), message: z.string() }) } },
  };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/notify/wechatpay',
    tags: ['notify'],
    summary: 'WeChat Pay API v3 notification (TRANSACTION.SUCCESS, REFUND.*)',
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({ id: z.string(), event_type: z.string(), resource: z.object({}).passthrough() }),
          },
        },
      },
    },
    responses: {
      204: { description: 'recorded (or a duplicate)' },
      400: fail,
      401: fail,
      413: fail,
      415: fail,
      503: fail,
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/notify/alipay',
    tags: ['notify'],
    summary: 'Alipay asynchronous notification (form, RSA2)',
    request: {
      body: { content: { 'application/x-www-form-urlencoded': { schema: z.record(z.string(), z.string()) } } },
    },
    responses: {
      200: { description: 'the body `success`', content: { 'text/plain': { schema: z.literal('success') } } },
      400: { description: 'the body `fail`', content: { 'text/plain': { schema: z.literal('fail') } } },
    },
  });
}

export function notifyRoutes(app: App, s: Services): void {
  document(app);
  // Both platforms share one bound: it keeps CPU and connections for members' reads (http/admission.ts).
  const admission = new Admission(s.config.notifyConcurrency, NOTIFY_WAIT_MAX_MS);
  app.post('/notify/wechatpay', async (c) => {
    const config = s.config.wechatpay;
    if (!config) return reject(c, s, 'wechatpay', notConfigured('WeChat Pay'));
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return reject(c, s, 'wechatpay', new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Expected application/json.', 415));
    }
    try {
      const raw = await rawBody(c, MAX_BODY_BYTES);
      if (raw === TOO_LARGE) return reject(c, s, 'wechatpay', tooLarge());
      const result = await admission.run(() =>
        handleWechatPay(
          raw,
          {
            signature: c.req.header('wechatpay-signature'),
            timestamp: c.req.header('wechatpay-timestamp'),
            nonce: c.req.header('wechatpay-nonce'),
            serial: c.req.header('wechatpay-serial'),
          },
          { config, accruals: s.accruals, clock: s.clock, storePrefixes: s.config.orderStorePrefixes },
        ),
      );
      s.logger.info({ channel: 'wechatpay', result }, 'notification');
      s.metrics.notified('wechatpay', result);
      return c.body(null, 204);
    } catch (e) {
      return reject(c, s, 'wechatpay', e);
    }
  });

  const sdk = s.config.alipay ? alipaySdk(s.config.alipay) : null;
  app.post('/notify/alipay', async (c) => {
    const config = s.config.alipay;
    if (!config || !sdk) return reject(c, s, 'alipay', notConfigured('Alipay'));
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) {
      return reject(c, s, 'alipay', new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Expected a form.', 415));
    }
    try {
      const raw = await rawBody(c, MAX_BODY_BYTES);
      if (raw === TOO_LARGE) return reject(c, s, 'alipay', tooLarge());
      const form = Object.fromEntries(new URLSearchParams(new TextDecoder().decode(raw)));
      const result = await admission.run(() =>
        handleAlipay(form, {
          config,
          sdk,
          accruals: s.accruals,
          clock: s.clock,
          storePrefixes: s.config.orderStorePrefixes,
        }),
      );
      s.logger.info({ channel: 'alipay', result, notifyId: form.notify_id }, 'notification');
      s.metrics.notified('alipay', result);
      return c.text('success', 200);
    } catch (e) {
      return reject(c, s, 'alipay', e);
    }
  });
}

function reject(c: Context, s: Services, channel: Channel, e: unknown) {
  // The one mapper: a lost race past its retries is 503 STORE_BUSY here too, so the platform retries.
  const err = domainErrorOf(e);
  const status = err?.status ?? 500;
  const code = err?.code ?? 'INTERNAL';
  s.metrics.rejected(channel, code);
  if (err) s.logger.warn({ channel, code, status }, `notification rejected: ${err.message}`);
  else s.logger.error({ channel, err: e }, 'notification failed');
  const message = err?.message ?? 'Internal error; please retry.';
  return channel === 'alipay'
    ? c.text('fail', status)
    : c.json({ code: 'FAIL', message }, status as 400 | 401 | 413 | 415 | 500 | 503);
}

const tooLarge = () => new DomainError('PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_BODY_BYTES} bytes.`, 413);
const notConfigured = (what: string) =>
  new DomainError('NOT_CONFIGURED', `${what} is not configured on this server.`, 503);

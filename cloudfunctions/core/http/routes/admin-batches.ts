/**
 * Batch grants over HTTP (DESIGN "Batch grants"): the CSV goes in as the
 * body (text/csv, up to 20 MiB); a preview checks it without writing; a
 * batch is queued with an Idempotency-Key and applied in the background;
 * its progress is readable from any server; rollback reverses it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { parseBatchCsv } from '../../domain/batch-csv.js';
import { DomainError, errors } from '../../domain/errors.js';
import { isoInZone } from '../../domain/time.js';
import type { BatchView } from '../../services/batches.js';
import type { App, Services } from '../context.js';
import { errorResponses, jsonResponse } from '../schemas.js';

const security = [{ bearer: [] }];
/** The CSV of a batch: outside the 64 KiB cap of JSON bodies (DESIGN). */
export const BATCH_BODY_MAX = 20 * 1024 * 1024;
export const CSV_ROUTES = ['/api/admin/batches', '/api/admin/batches/preview'];

const Line = z.object({ line: z.number().int(), message: z.string() });
const BatchSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed', 'rolling_back', 'rolled_back']),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    reversed: z.number().int(),
    errors: z.array(Line),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Batch');
const csvBody = { required: true, content: { 'text/csv': { schema: z.string() } } };
const BatchId = z.object({ batchId: z.string().min(1).max(64) });

const preview = createRoute({
  method: 'post',
  path: '/api/admin/batches/preview',
  tags: ['admin'],
  security,
  summary: 'Checks a batch CSV (member,points,reason) line by line; writes nothing',
  request: { body: csvBody },
  responses: {
    200: jsonResponse(
      z.object({ total: z.number().int(), grant: z.number().int(), deduct: z.number().int(), errors: z.array(Line) }),
      'what the batch would do, and every malformed line',
    ),
    ...errorResponses(401, 403, 413, 415),
  },
});
const create = createRoute({
  method: 'post',
  path: '/api/admin/batches',
  tags: ['admin'],
  security,
  summary: 'Queues a batch (text/csv, Idempotency-Key header); refused whole with every malformed line listed',
  request: { body: csvBody, headers: z.object({ 'idempotency-key': z.string().min(1).max(128) }) },
  responses: { 202: jsonResponse(BatchSchema, 'queued'), ...errorResponses(400, 401, 403, 413, 415) },
});
const list = createRoute({
  method: 'get',
  path: '/api/admin/batches',
  tags: ['admin'],
  security,
  summary: 'Batches, newest first, with their progress',
  responses: { 200: jsonResponse(z.object({ items: z.array(BatchSchema) }), 'batches'), ...errorResponses(401, 403) },
});
const get = createRoute({
  method: 'get',
  path: '/api/admin/batches/{batchId}',
  tags: ['admin'],
  security,
  summary: 'One batch: status, rows done and failed, the failed lines',
  request: { params: BatchId },
  responses: { 200: jsonResponse(BatchSchema, 'the batch'), ...errorResponses(401, 403, 404) },
});
const rollback = createRoute({
  method: 'post',
  path: '/api/admin/batches/{batchId}/rollback',
  tags: ['admin'],
  security,
  summary: 'Undoes a batch: each applied row gets a reversing entry (nothing is deleted); runs in the background',
  request: { params: BatchId },
  responses: { 200: jsonResponse(BatchSchema, 'rolling back'), ...errorResponses(401, 403, 404) },
});

export function batchRoutes(app: App, s: Services): void {
  const iso = (b: BatchView) => ({
    ...b,
    createdAt: isoInZone(b.createdAt, s.config.timeZone),
    updatedAt: isoInZone(b.updatedAt, s.config.timeZone),
  });
  const csvOf = async (req: Request) => {
    if (!/^text\/csv\b/i.test(req.headers.get('content-type') ?? '')) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the batch as text/csv.', 415);
    }
    return parseBatchCsv(await req.text());
  };

  app.openapi(preview, async (c) => {
    const parsed = await csvOf(c.req.raw);
    const sum = (sign: 1 | -1) =>
      parsed.rows.filter((r) => Math.sign(r.points) === sign).reduce((n, r) => n + r.points, 0);
    return c.json({ total: parsed.rows.length, grant: sum(1), deduct: -sum(-1), errors: parsed.errors }, 200);
  });
  app.openapi(create, async (c) => {
    const parsed = await csvOf(c.req.raw);
    if (parsed.errors.length > 0) {
      throw errors.validation(`${parsed.errors.length} line(s) are malformed; nothing was queued.`, {
        lines: parsed.errors,
      });
    }
    const key = c.req.header('idempotency-key')!;
    return c.json(iso(await s.batches.create(c.get('callerId'), key, parsed.rows)), 202);
  });
  app.openapi(list, async (c) => c.json({ items: (await s.batches.list()).map(iso) }, 200));
  app.openapi(get, async (c) => {
    const b = await s.batches.get(c.req.valid('param').batchId);
    if (!b) throw errors.notFound('Batch');
    return c.json(iso(b), 200);
  });
  app.openapi(rollback, async (c) =>
    c.json(iso(await s.batches.rollback(c.get('callerId'), c.req.valid('param').batchId)), 200),
  );
}

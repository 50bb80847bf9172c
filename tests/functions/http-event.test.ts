/** The HTTP access service's integration request/response ⇄ web Request/Response, byte for byte. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toIntegrationResponse, toRequest } from '../../cloudfunctions/core/functions/http-event.js';

const sha = (b: ArrayBuffer | Buffer) =>
  createHash('sha256')
    .update(Buffer.from(b as ArrayBuffer))
    .digest('hex');

describe('toRequest', () => {
  const body = '{"summary":"支付成功","x":"a\\u00e9\\n"}\n';

  it('rebuilds the exact body bytes, from text or base64, and a content-length that matches them', async () => {
    for (const [text, encoded] of [
      [body, false],
      [Buffer.from(body).toString('base64'), true],
      [Buffer.from(body).toString('base64'), 'true'],
    ] as const) {
      const req = toRequest({
        path: '/notify/wechatpay',
        httpMethod: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '3', 'Wechatpay-Nonce': 'n1' },
        body: text,
        isBase64Encoded: encoded,
      });
      const bytes = await req.arrayBuffer();
      expect(sha(bytes)).toBe(sha(Buffer.from(body)));
      expect(req.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      expect(req.headers.get('wechatpay-nonce')).toBe('n1');
    }
  });

  it('keeps the full path, the query (repeated keys too) and the method; GET has no body', async () => {
    const req = toRequest({
      path: '/api/member/history',
      httpMethod: 'get',
      headers: { host: 'env-1.service.tcloudbase.com' },
      queryStringParameters: { limit: '5', tag: ['a', 'b'] },
      body: 'ignored',
      isBase64Encoded: false,
    });
    const url = new URL(req.url);
    expect([req.method, url.host, url.pathname, url.search]).toEqual([
      'GET',
      'env-1.service.tcloudbase.com',
      '/api/member/history',
      '?limit=5&tag=a&tag=b',
    ]);
    expect(req.body).toBeNull();
  });
});

describe('toIntegrationResponse', () => {
  it('text as text, 204 as an empty body, binary as base64', async () => {
    const json = await toIntegrationResponse(Response.json({ ok: true, name: '积分' }, { status: 201 }));
    expect(json).toMatchObject({ statusCode: 201, body: '{"ok":true,"name":"积分"}', isBase64Encoded: false });
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect(await toIntegrationResponse(new Response(null, { status: 204 }))).toMatchObject({
      statusCode: 204,
      body: '',
      isBase64Encoded: false,
    });
    expect(
      await toIntegrationResponse(new Response('success', { headers: { 'content-type': 'text/plain' } })),
    ).toMatchObject({ body: 'success', isBase64Encoded: false });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const bin = await toIntegrationResponse(new Response(png, { headers: { 'content-type': 'image/png' } }));
    expect(bin.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.body, 'base64')).toEqual(png);
  });
});

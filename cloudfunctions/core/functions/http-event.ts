/**
 * CloudBase HTTP access service (云函数 HTTP 访问服务) ⇄ web Request/Response.
 * The service hands a function the "integration request"
 * `{ path, httpMethod, headers, queryStringParameters, body, isBase64Encoded }`
 * (path is the full request path, trigger path included) and takes back the
 * "integration response" `{ statusCode, headers, body, isBase64Encoded }`.
 * Payment signatures are over the exact body bytes, so the body is rebuilt
 * byte for byte: base64-decoded when the service says it is encoded, else the
 * UTF-8 bytes of the text it gave us.
 */
export interface HttpEvent {
  path?: string;
  httpMethod?: string;
  headers?: Record<string, string | string[] | undefined>;
  queryStringParameters?: Record<string, string | string[] | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean | string;
}

export interface IntegrationResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

// Recomputed from the body we rebuild, or meaningless once the body is whole.
const DROPPED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export const isHttpEvent = (e: unknown): e is HttpEvent =>
  typeof e === 'object' && e !== null && typeof (e as HttpEvent).httpMethod === 'string';

export function toRequest(event: HttpEvent): Request {
  const method = (event.httpMethod ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value === undefined || DROPPED.has(name.toLowerCase())) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v);
  }
  const path = event.path?.startsWith('/') ? event.path : `/${event.path ?? ''}`;
  const url = new URL(path, `https://${headers.get('host') ?? 'cloudbase.invalid'}`);
  url.search = query.toString();
  const encoded = event.isBase64Encoded === true || event.isBase64Encoded === 'true';
  const hasBody = method !== 'GET' && method !== 'HEAD' && typeof event.body === 'string';
  const body = hasBody ? Buffer.from(event.body!, encoded ? 'base64' : 'utf8') : undefined;
  if (body) headers.set('content-length', String(body.byteLength));
  return new Request(url, { method, headers, body });
}

const TEXTUAL = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|image\/svg\+xml)|\+json|\+xml/i;

export async function toIntegrationResponse(res: Response): Promise<IntegrationResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  // Text goes back as text; anything else (a PNG mini-program code) as base64.
  const text = bytes.length === 0 || TEXTUAL.test(type);
  return {
    statusCode: res.status,
    headers,
    body: bytes.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  };
}

/**
 * A notification's raw bytes, at most `maxBytes` of them. On Node
 * (@hono/node-server puts the IncomingMessage in `c.env.incoming`) the body
 * is read straight from the socket stream: going through the web Request
 * adapter costs about 170 µs per notification (issue 13's profile), a tenth
 * of the whole notification's budget. Elsewhere (the cloud function, tests
 * calling `app.request`) the web Request is what there is.
 *
 * Touching `c.req.raw.body` builds the web Request, so nothing before this
 * may look at the body: the notify routes do their own size check here
 * instead of hono's bodyLimit middleware.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export const TOO_LARGE = Symbol('too large');

export function rawBody(c: Context, maxBytes: number): Promise<Uint8Array | typeof TOO_LARGE> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > maxBytes) return Promise.resolve(TOO_LARGE);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && !incoming.readableDidRead) {
    return fromIncoming(incoming, maxBytes);
  }
  return fromWebRequest(c.req.raw, maxBytes);
}

function fromIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading; the answer is 413 and Node closes the connection rather than reuse it half-read.
        incoming.off('data', onData);
        incoming.pause();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    incoming.once('error', reject);
  });
}

async function fromWebRequest(req: Request, maxBytes: number): Promise<Uint8Array | typeof TOO_LARGE> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

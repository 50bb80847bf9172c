/**
 * Security headers (hono/secure-headers): nosniff, no framing, no referrer,
 * HSTS behind HTTPS, and a Content-Security-Policy. API answers are data and
 * may load nothing; the H5 app may load only its own files, plus the one
 * inline script Taro's page needs (allowed by its hash, never 'unsafe-inline').
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export function apiSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    xFrameOptions: 'DENY',
  });
}

/** The sha256 source of each inline <script> in a page, as CSP's script-src takes it. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1]!)
    .filter((body) => body.trim() !== '')
    .map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
}

export function appSecurityHeaders(indexHtml: string): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...inlineScriptHashes(indexHtml)],
      // Taro's components set styles at run time; styles cannot run code.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // QR codes and barcodes are SVG data URLs.
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
  });
}

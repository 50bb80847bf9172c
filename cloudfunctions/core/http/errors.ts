/** The one place where errors become HTTP answers: { code, message } with the status DESIGN names. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { storeErrorAsDomain } from '../store/store-errors.js';

const BY_STATUS: Record<number, [string, string]> = {
  400: ['VALIDATION_FAILED', 'The request is malformed.'],
  401: ['UNAUTHORIZED', 'A valid credential is required.'],
  404: ['NOT_FOUND', 'No such route.'],
  405: ['METHOD_NOT_ALLOWED', 'This route does not take that method.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
};

export function errorBody(code: string, message: string, details?: unknown) {
  return details === undefined ? { code, message } : { code, message, details };
}

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
) {
  return c.json(errorBody(code, message, details), status);
}

/**
 * What a thrown value means to a caller: a DomainError as is, a store error
 * that outlived its retries as the refusal it amounts to, anything else null
 * (a bug: 500). Every transport (routes, notifications, cloud-function calls) asks here.
 */
export function domainErrorOf(thrown: unknown): DomainError | null {
  if (thrown instanceof DomainError) return thrown;
  return storeErrorAsDomain(thrown);
}

export function toErrorResponse(thrown: unknown, c: Context, logger: Logger) {
  const err = domainErrorOf(thrown) ?? thrown;
  if (err instanceof DomainError) {
    if (err.status >= 500) logger.warn({ code: err.code, path: c.req.path }, err.message);
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.status === 429 && typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
    return errorResponse(c, err.status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const [code, fallback] = BY_STATUS[err.status] ?? ['HTTP_ERROR', 'The request could not be handled.'];
    return errorResponse(c, err.status as ContentfulStatusCode, code, err.message || fallback);
  }
  logger.error({ err, path: c.req.path }, 'unhandled error');
  return errorResponse(c, 500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
}

/** zod validation failures, as one readable sentence plus the issues. */
export function validationResponse(c: Context, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return errorResponse(c, 400, 'VALIDATION_FAILED', `${where}${first?.message ?? 'invalid input'}`, {
    issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

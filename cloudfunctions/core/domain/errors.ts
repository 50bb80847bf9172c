/**
 * The one error type of the system. Every refusal a person or a platform can
 * see is a DomainError with a stable UPPER_SNAKE code, a message a person
 * understands and the HTTP status it maps to (mapped in one place, http/errors.ts).
 */
import { REFUSALS_ZH } from './refusals-zh.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 502 | 503;

export class DomainError extends Error {
  readonly details?: unknown;

  constructor(
    readonly code: string,
    message: string,
    readonly status: ErrorStatus,
    details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
    const zh = REFUSALS_ZH[code];
    // Refusals a member meets carry plain Chinese for the app to show.
    this.details =
      zh && (details === undefined || typeof details === 'object') ? { ...(details as object), zh } : details;
  }
}

export const errors = {
  validation: (message: string, details?: unknown) => new DomainError('VALIDATION_FAILED', message, 400, details),
  unauthorized: (message = 'A valid credential is required.') => new DomainError('UNAUTHORIZED', message, 401),
  forbidden: (message = 'This credential may not do that.') => new DomainError('FORBIDDEN', message, 403),
  notFound: (what: string) => new DomainError('NOT_FOUND', `${what} was not found.`, 404),
  insufficientPoints: (available: number, wanted: number) =>
    new DomainError('INSUFFICIENT_POINTS', `Only ${available} points are available; ${wanted} were asked for.`, 409, {
      available,
      wanted,
    }),
  idempotencyConflict: () =>
    new DomainError('IDEMPOTENCY_CONFLICT', 'This idempotency key was already used with a different request.', 409),
  conflict: (code: string, message: string) => new DomainError(code, message, 409),
  expired: (code: string, message: string) => new DomainError(code, message, 410),
  memberFrozen: () =>
    new DomainError(
      'MEMBER_FROZEN',
      'This member is frozen: they can read their account but not earn by hand or spend.',
      403,
    ),
  storeUnavailable: () => new DomainError('STORE_UNAVAILABLE', 'The database is not answering; please retry.', 503),
} as const;

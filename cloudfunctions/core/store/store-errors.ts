/**
 * Store errors that can outlive their retries, as the domain error a caller
 * should see: a lost race is a conflict or a busy store, never a 500.
 */
import { DomainError, errors } from '../domain/errors.js';
import { DuplicateEvent, UniqueViolation, VersionConflict } from './port.js';

// SQLite busy, PostgreSQL serialization failure and deadlock, a CloudBase transaction that lost a write race.
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  '40001',
  '40P01',
  'DATABASE_TRANSACTION_CONFLICT',
]);

/**
 * The database (or the network to it) is away: a socket error, a server
 * shutting down or starting up, a CloudBase system error. Retryable: the
 * caller hears 503, and a payment platform retries the notification later.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  // PostgreSQL: admin / crash shutdown, cannot connect now, connection exceptions, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08P01',
  '53300',
  // CloudBase: the service failed on its side.
  'SYS_ERR',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed/i;

export function isUnavailable(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_MESSAGES.test(String(message ?? ''));
}

export function storeErrorAsDomain(e: unknown): DomainError | null {
  if (isUnavailable(e)) return errors.storeUnavailable();
  if (e instanceof UniqueViolation || e instanceof DuplicateEvent) {
    return new DomainError('CONFLICT', 'This collided with a concurrent change; please retry.', 409);
  }
  if (e instanceof VersionConflict || BUSY_CODES.has((e as { code?: string }).code ?? '')) {
    return new DomainError('STORE_BUSY', 'The database is busy; please retry.', 503);
  }
  return null;
}

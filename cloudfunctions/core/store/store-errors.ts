/**
 * Store errors that can outlive their retries, as the domain error a caller
 * should see: a lost race is a conflict or a busy store, never a 500.
 */
import { DomainError } from '../domain/errors.js';
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

export function storeErrorAsDomain(e: unknown): DomainError | null {
  if (e instanceof UniqueViolation || e instanceof DuplicateEvent) {
    return new DomainError('CONFLICT', 'This collided with a concurrent change; please retry.', 409);
  }
  if (e instanceof VersionConflict || BUSY_CODES.has((e as { code?: string }).code ?? '')) {
    return new DomainError('STORE_BUSY', 'The database is busy; please retry.', 503);
  }
  return null;
}

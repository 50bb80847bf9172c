/** Content that is authentic (verified) but not what the platform's spec says: 400, nothing written. */
import type { z } from 'zod';
import { DomainError } from '../domain/errors.js';

export const malformed = (message: string) => new DomainError('MALFORMED', message, 400);

export function parseOrMalformed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw malformed(`${what}: ${i ? `${i.path.map(String).join('.')} ${i.message}` : 'invalid'}`);
}

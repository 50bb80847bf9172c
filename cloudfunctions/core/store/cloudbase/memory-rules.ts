/** What the stand-in lets a write hold, and how it answers: the SDK's rules, shared by its calls in and out of transactions. */
import { CloudbaseError, type DocData, type SdkResult } from './db-api.js';

export const copy = <T>(value: T): T => structuredClone(value);
export const fail = (code: string, message: string) => ({ code, message, requestId: 'memory' });

/** MongoDB refuses field names that start with `$` (operators), at any depth. */
function refuseOperatorKeys(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) throw new CloudbaseError('INVALID_PARAM', `field name ${k} starts with $`);
    refuseOperatorKeys(v);
  }
}

export function refuseId(data: DocData): void {
  if (!data || typeof data !== 'object') throw new CloudbaseError('INVALID_PARAM', '参数必需是非空对象');
  if (Object.prototype.hasOwnProperty.call(data, '_id')) throw new CloudbaseError('INVALID_PARAM', '不能更新_id的值');
  refuseOperatorKeys(data);
}

/** Outside transactions the SDK answers failures as `{ code, message }` rather than throwing. */
export function guarded<T extends object>(fn: () => T): (T & SdkResult) | SdkResult {
  try {
    return { requestId: 'memory', ...fn() };
  } catch (e) {
    if (e instanceof CloudbaseError) return fail(e.code, e.message);
    throw e;
  }
}

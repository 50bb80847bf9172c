/**
 * How the stand-in evaluates where() conditions and orderBy(), with
 * MongoDB's rules (CloudBase's database is MongoDB underneath) for just the
 * operators db-api.ts declares: a null condition matches a missing field,
 * range operators never compare across types, values of different types
 * sort null < numbers < strings < objects < booleans.
 */
import { CloudbaseError, type DbCommand, type Doc, type Where } from './db-api.js';

type OpName = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin' | 'and';

/** What `db.command.gt(5)` and friends return: opaque to the adapter, read only here. */
class QueryOp {
  constructor(
    readonly op: OpName,
    readonly value: unknown,
  ) {}
}

const op =
  (name: OpName) =>
  (value: unknown): QueryOp =>
    new QueryOp(name, structuredClone(value));

export const memoryCommand: DbCommand = {
  eq: op('eq'),
  neq: op('neq'),
  lt: op('lt'),
  lte: op('lte'),
  gt: op('gt'),
  gte: op('gte'),
  in: op('in'),
  nin: op('nin'),
  // Its operands are QueryOps already (cloning would strip their class).
  and: (...conditions: unknown[]) => new QueryOp('and', conditions),
};

const rank = (v: unknown): number =>
  v === null || v === undefined
    ? 0
    : typeof v === 'number'
      ? 1
      : typeof v === 'string'
        ? 2
        : typeof v === 'boolean'
          ? 5
          : Array.isArray(v)
            ? 4
            : 3;

export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return (a as number) - (b as number);
  if (ra === 2) return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  if (ra === 5) return Number(a) - Number(b);
  return ra === 0 ? 0 : JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

const equal = (field: unknown, value: unknown): boolean =>
  value === null
    ? field === null || field === undefined
    : rank(field) === rank(value) && compareValues(field, value) === 0;

/** Range operators match only values of the same type, as in MongoDB. */
const ranged = (field: unknown, value: unknown, ok: (c: number) => boolean): boolean =>
  field !== undefined && field !== null && rank(field) === rank(value) && ok(compareValues(field, value));

function test(field: unknown, cond: unknown): boolean {
  if (!(cond instanceof QueryOp)) {
    if (cond !== null && typeof cond === 'object') {
      throw new CloudbaseError('INVALID_PARAM', 'the stand-in matches plain values and db.command operators only');
    }
    return equal(field, cond);
  }
  const v = cond.value;
  switch (cond.op) {
    case 'eq':
      return equal(field, v);
    case 'neq':
      return !equal(field, v);
    case 'lt':
      return ranged(field, v, (c) => c < 0);
    case 'lte':
      return ranged(field, v, (c) => c <= 0);
    case 'gt':
      return ranged(field, v, (c) => c > 0);
    case 'gte':
      return ranged(field, v, (c) => c >= 0);
    case 'in':
      return (v as unknown[]).some((x) => equal(field, x));
    case 'nin':
      return !(v as unknown[]).some((x) => equal(field, x));
    case 'and':
      return (v as unknown[]).every((c) => test(field, c));
  }
}

export function matches(doc: Doc, where: Where): boolean {
  return Object.entries(where).every(([field, cond]) => test(doc[field], cond));
}

export type Order = { field: string; direction: 'asc' | 'desc' };

/** Sorts by the given fields; ties keep `_id` order, as a collection scan would. */
export function sortDocs(docs: Doc[], orders: readonly Order[]): Doc[] {
  return docs.sort((a, b) => {
    for (const o of orders) {
      const c = compareValues(a[o.field], b[o.field]);
      if (c !== 0) return o.direction === 'asc' ? c : -c;
    }
    return compareValues(a._id, b._id);
  });
}

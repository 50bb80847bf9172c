/**
 * Document ids. Keys become `_id`s (the only thing CloudBase keeps unique),
 * and the port's integer ids are made without a shared counter document: one
 * counter every transaction increments would be the hot row DESIGN.md rules
 * out, and under optimistic transactions it would make all of them conflict.
 */
import { randomInt } from 'node:crypto';

/**
 * `_id` from key parts: letters, digits, `_`, `-` and `.` are kept, any other
 * character becomes `~XX` per UTF-8 byte, parts are joined by `:`. Injective,
 * so two keys never share an `_id`, and readable in the console.
 */
export function docId(...parts: Array<string | number>): string {
  return parts
    .map((p) =>
      Array.from(Buffer.from(String(p), 'utf8'))
        .map((b) =>
          /[A-Za-z0-9_.-]/.test(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : `~${b.toString(16).padStart(2, '0')}`,
        )
        .join(''),
    )
    .join(':');
}

const SEQ_SPAN = 2 ** 21;
/** Ordinals stay below 2^31, so owned ids stay below 2^52: exact in a JavaScript number and a CloudBase double. */
const ORDINAL_SPAN = 2 ** 31;

/**
 * A member's events and lots: ordinal × 2^21 + the account's own sequence.
 * Unique (the ordinal is unique per account) and increasing per member in
 * commit order (the sequence lives on the account document, which every
 * posting writes), which is what history paging and lot order need.
 */
export function ownedId(ordinal: number, seq: number): number {
  if (seq >= SEQ_SPAN) throw new Error(`account with ordinal ${ordinal} has used all ${SEQ_SPAN} ids`);
  return ordinal * SEQ_SPAN + seq;
}

/** A candidate ordinal for a new member account; account_ordinal_keys proves it unused. */
export const randomOrdinal = (): number => randomInt(1, ORDINAL_SPAN);

let lastTimeId = 0;

/**
 * Append-only rows (notifications, outbox, audit): epoch ms × 1024 plus a
 * random part, increasing within this process. Two processes may rarely draw
 * the same one; the row's `_id` is the id, so the loser sees it taken and draws again.
 */
export function timeId(now = Date.now()): number {
  lastTimeId = Math.max(now * 1024 + randomInt(512), lastTimeId + 1);
  return lastTimeId;
}

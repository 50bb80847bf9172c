/**
 * Batch grants (DESIGN "Batch grants"): a CSV of member, points and reason,
 * applied in the background and rolled back on demand.
 *
 * - Refused whole when any line is malformed (parseBatchCsv says which).
 * - Kept as configuration documents (every backend has them): the header
 *   with status and progress, and the rows in chunks of CHUNK_ROWS.
 * - Each row is one ledger event keyed `batch:<id>` / `row:<line>`: applying
 *   a row twice (a crash between applying and saving progress, two servers
 *   on one chunk) credits it once.
 * - Progress is saved after each chunk and only by the run that read it
 *   (the cursor must not have moved), so counts are never doubled.
 * - Rollback posts a reversing event per applied row (`batch-rollback:<id>`):
 *   a grant is clawed back even if spent (the member owes it, as with a
 *   refund), a deduction is given back; nothing is deleted.
 */
import { findMemberByPhone } from './members.js';
import { DomainError, errors } from '../domain/errors.js';
import { BATCH_ERRORS_MAX, type BatchRow } from '../domain/batch-csv.js';
import type { Store, Tx } from '../store/port.js';
import { configDoc, plainDoc } from './config-docs.js';
import { newId } from './ids.js';
import type { Ledger } from './ledger.js';
import type { PhoneVault } from './phones.js';

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed' | 'rolling_back' | 'rolled_back';

export interface BatchView {
  id: string;
  status: BatchStatus;
  total: number;
  /** Rows applied. */
  done: number;
  /** Rows refused when applied (unknown member, not enough points, frozen). */
  failed: number;
  /** Rows reversed by a rollback. */
  reversed: number;
  errors: { line: number; message: string }[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

interface BatchDoc extends BatchView {
  /** Rows handled so far (applied or refused), in file order. */
  cursor: number;
  /** Rows looked at by the rollback so far. */
  rollbackCursor: number;
  chunks: number;
}

/** Rows per stored chunk and per background step. */
export const CHUNK_ROWS = 1_000;
/** Rows applied at once within a chunk. */
const IN_FLIGHT = 16;

const rowKey = (id: string, line: number) => ({ source: `batch:${id}`, externalId: `row:${line}` });
const undoKey = (id: string, line: number) => ({ source: `batch-rollback:${id}`, externalId: `row:${line}` });

const SEALED = 'sealed:';
const MEMBER_ID = /^m_/;

export class Batches {
  constructor(private readonly deps: { store: Store; clock: () => number; ledger: Ledger; vault: PhoneVault }) {}

  /** Stores a parsed batch, queued; the same idempotency key from the same caller answers the first batch again. */
  async create(actor: string, idempotencyKey: string, rows: BatchRow[]): Promise<BatchView> {
    const now = this.deps.clock();
    const keyId = `${actor}:${idempotencyKey}`;
    const earlier = await this.byKey(keyId);
    if (earlier) return earlier;
    const id = newId('b');
    const chunks = Math.ceil(rows.length / CHUNK_ROWS);
    const doc: BatchDoc = {
      id,
      status: 'queued',
      total: rows.length,
      done: 0,
      failed: 0,
      reversed: 0,
      errors: [],
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      cursor: 0,
      rollbackCursor: 0,
      chunks,
    };
    // The rows first: a header is only written once all its rows are.
    for (let c = 0; c < chunks; c++) {
      const part = rows
        .slice(c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS)
        .map((r) => [r.line, this.sealed(r.member), r.points, r.reason]);
      await this.deps.store.transaction((tx) =>
        tx.putConfig(plainDoc('batch_rows', `${id}:${c}`, { rows: part }, actor, now)),
      );
    }
    const won = await this.deps.store.transaction(async (tx) => {
      const taken = await tx.lockConfig('batch_key', keyId);
      if (taken) return (taken.body as { batchId: string }).batchId;
      await tx.putConfig(plainDoc('batch_key', keyId, { batchId: id }, actor, now));
      await tx.putConfig(plainDoc('batch', id, doc, actor, now));
      await tx.insertAudit({
        actor,
        action: 'batch.create',
        subject: id,
        detail: { total: rows.length },
        createdAt: now,
      });
      return id;
    });
    return won === id ? view(doc) : (await this.get(won))!;
  }

  async get(id: string): Promise<BatchView | null> {
    const doc = await this.doc(id);
    return doc ? view(doc) : null;
  }

  async list(): Promise<BatchView[]> {
    const docs = await this.deps.store.configDocs('batch');
    return docs.map((d) => view(d.body as unknown as BatchDoc)).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Starts undoing a batch: applying stops; the background job reverses each applied row. */
  async rollback(actor: string, id: string): Promise<BatchView> {
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('batch', id);
      if (!held) throw errors.notFound('Batch');
      const d = held.body as unknown as BatchDoc;
      if (d.status === 'rolling_back' || d.status === 'rolled_back') return view(d);
      const next: BatchDoc = { ...d, status: 'rolling_back', updatedAt: now };
      await tx.putConfig(plainDoc('batch', id, next, actor, now));
      await tx.insertAudit({
        actor,
        action: 'batch.rollback',
        subject: id,
        detail: { before: { status: d.status, done: d.done }, after: { status: 'rolling_back' } },
        createdAt: now,
      });
      return view(next);
    });
  }

  /**
   * One background step: the oldest batch with work left gets one chunk
   * applied (or reversed). Returns the rows handled (0: nothing to do).
   */
  async step(): Promise<number> {
    const docs = (await this.deps.store.configDocs('batch'))
      .map((d) => d.body as unknown as BatchDoc)
      .filter((d) => d.status === 'queued' || d.status === 'running' || d.status === 'rolling_back')
      .sort((a, b) => a.createdAt - b.createdAt);
    const d = docs[0];
    if (!d) return 0;
    return d.status === 'rolling_back' ? this.reverseChunk(d) : this.applyChunk(d);
  }

  private async applyChunk(d: BatchDoc): Promise<number> {
    const rows = await this.chunkAt(d, d.cursor);
    let done = 0;
    const failures: BatchView['errors'] = [];
    await inParallel(rows, async (r) => {
      try {
        await this.apply(d.id, r);
        done++;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e; // the store is away: the chunk runs again later
        failures.push({ line: r.line, message: e.message });
      }
    });
    failures.sort((a, b) => a.line - b.line);
    await this.advance(d, 'cursor', (cur) => {
      const cursor = cur.cursor + rows.length;
      return {
        ...cur,
        cursor,
        done: cur.done + done,
        failed: cur.failed + failures.length,
        errors: [...cur.errors, ...failures].slice(0, BATCH_ERRORS_MAX),
        status: cursor >= cur.total ? (cur.done + done === 0 && cur.total > 0 ? 'failed' : 'done') : 'running',
      };
    });
    return rows.length;
  }

  private async reverseChunk(d: BatchDoc): Promise<number> {
    const rows = await this.chunkAt(d, d.rollbackCursor);
    let reversed = 0;
    await inParallel(rows, async (r) => {
      const applied = await this.deps.store.findEvent(rowKey(d.id, r.line).source, rowKey(d.id, r.line).externalId);
      if (!applied || applied.delta === 0) return;
      const movement = {
        key: undoKey(d.id, r.line),
        memberId: applied.memberId!,
        points: Math.abs(applied.delta),
        kind: 'adjust' as const,
        counterparty: 'adjusted' as const,
        meta: { reason: `撤销批量发放 ${d.id}`, batch: d.id, line: r.line },
      };
      // A grant comes back even if spent (a debt, as with a refund); a deduction is given back.
      await (applied.delta > 0 ? this.deps.ledger.clawback(movement) : this.deps.ledger.credit(movement));
      reversed++;
    });
    await this.advance(d, 'rollbackCursor', (cur) => {
      const rollbackCursor = cur.rollbackCursor + rows.length;
      return {
        ...cur,
        rollbackCursor,
        reversed: cur.reversed + reversed,
        status: rollbackCursor >= cur.total ? 'rolled_back' : 'rolling_back',
      };
    });
    return rows.length;
  }

  /** Applies one row: its member by id or phone, one adjustment keyed by batch and line. */
  private async apply(batchId: string, r: BatchRow): Promise<void> {
    const memberId = MEMBER_ID.test(r.member)
      ? r.member
      : (await findMemberByPhone(this.deps.store, this.deps.vault, r.member))?.id;
    if (!memberId)
      throw new DomainError('NOT_FOUND', `No member with ${r.member.length === 11 ? 'this phone' : 'this id'}.`, 404);
    const movement = {
      key: rowKey(batchId, r.line),
      memberId,
      points: Math.abs(r.points),
      kind: 'adjust' as const,
      counterparty: 'adjusted' as const,
      meta: { reason: r.reason, batch: batchId, line: r.line },
      refuseFrozen: r.points > 0,
    };
    await (r.points > 0 ? this.deps.ledger.credit(movement) : this.deps.ledger.debit(movement));
  }

  /** Saves progress, unless another run moved the cursor since this one read it (its counts would be doubled). */
  private async advance(
    d: BatchDoc,
    field: 'cursor' | 'rollbackCursor',
    next: (current: BatchDoc) => BatchDoc,
  ): Promise<void> {
    const now = this.deps.clock();
    await this.deps.store.transaction(async (tx: Tx) => {
      const held = await tx.lockConfig('batch', d.id);
      const cur = held!.body as unknown as BatchDoc;
      if (cur[field] !== d[field]) return;
      if (field === 'cursor' && cur.status === 'rolling_back') return; // a rollback began meanwhile: it decides
      await tx.putConfig(plainDoc('batch', d.id, { ...next(cur), updatedAt: now }, 'batches', now));
    });
  }

  /** A phone is kept encrypted, like every phone at rest; a member id as it is. */
  private sealed(member: string): string {
    return MEMBER_ID.test(member) ? member : `${SEALED}${this.deps.vault.encrypt(member)}`;
  }

  private opened(member: string): string {
    return member.startsWith(SEALED) ? this.deps.vault.decrypt(member.slice(SEALED.length)) : member;
  }

  /** The rows from `cursor` to the end of its chunk. */
  private async chunkAt(d: BatchDoc, cursor: number): Promise<BatchRow[]> {
    if (cursor >= d.total) return [];
    const c = Math.floor(cursor / CHUNK_ROWS);
    // One chunk by its id (the port reads single documents inside a transaction).
    const doc = await this.deps.store.transaction((tx) => tx.lockConfig('batch_rows', `${d.id}:${c}`));
    if (!doc) throw new Error(`batch ${d.id} lost chunk ${c}`);
    const rows = (doc.body as { rows: [number, string, number, string][] }).rows.map(
      ([line, member, points, reason]) => ({
        line,
        member: this.opened(member),
        points,
        reason,
      }),
    );
    return rows.slice(cursor - c * CHUNK_ROWS);
  }

  private async doc(id: string): Promise<BatchDoc | null> {
    const doc = await configDoc(this.deps.store, 'batch', id);
    return doc ? (doc.body as unknown as BatchDoc) : null;
  }

  private async byKey(keyId: string): Promise<BatchView | null> {
    const key = await configDoc(this.deps.store, 'batch_key', keyId);
    return key ? this.get((key.body as { batchId: string }).batchId) : null;
  }
}

/**
 * Runs `fn` over the rows IN_FLIGHT at a time: independent rows share commits
 * (SQLite's group commit, the pool on PostgreSQL); two rows of one member
 * simply queue on that member's lock.
 */
async function inParallel<T>(rows: T[], fn: (row: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < rows.length; i = next++) await fn(rows[i]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const view = (d: BatchDoc): BatchView => ({
  id: d.id,
  status: d.status,
  total: d.total,
  done: d.done,
  failed: d.failed,
  reversed: d.reversed,
  errors: d.errors,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

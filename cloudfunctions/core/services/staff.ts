/**
 * Stores and staff credentials. A staff token is shown once at creation; we
 * keep only its hash. Staff act on their own store only; the HQ admin token
 * is unscoped (DESIGN, "Stores and staff").
 */
import { createHash, randomBytes } from 'node:crypto';
import { errors } from '../domain/errors.js';
import type { StaffRow, Store, StoreRow } from '../store/port.js';
import { newId } from './ids.js';

export interface Caller {
  /** 'hq' for the admin token, otherwise the staff id. */
  id: string;
  /** Shown on the staff pages, so a cashier sees whose token the device holds. */
  name?: string;
  role: 'hq' | StaffRow['role'];
  /** null = every store (HQ). */
  storeId: string | null;
}

export const HQ_CALLER: Caller = { id: 'hq', name: '总部', role: 'hq', storeId: null };

const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

export class StaffDirectory {
  constructor(private readonly deps: { store: Store; clock: () => number }) {}

  async createStore(actor: string, s: Omit<StoreRow, 'createdAt'>): Promise<StoreRow> {
    const row = { ...s, createdAt: this.deps.clock() };
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.insertStore(row)))
        throw errors.conflict('STORE_EXISTS', `A store with id ${s.id} already exists.`);
      await tx.insertAudit({
        actor,
        action: 'store.create',
        subject: s.id,
        detail: { after: s },
        createdAt: row.createdAt,
      });
    });
    return row;
  }

  /** Staff of these stores (null: every store), newest first, without their token hashes. */
  async list(storeIds: ReadonlySet<string> | null): Promise<Array<Omit<StaffRow, 'tokenHash'>>> {
    const rows = await this.deps.store.listStaff(storeIds ? [...storeIds] : null);
    return rows.map(({ tokenHash: _hidden, ...staff }) => staff);
  }

  /** Returns the token once; only its hash is kept. */
  async createStaff(
    actor: string,
    s: {
      name: string;
      storeId: string;
      role: StaffRow['role'];
    },
  ): Promise<{ staff: Omit<StaffRow, 'tokenHash'>; token: string }> {
    const token = `jfs_${randomBytes(24).toString('base64url')}`;
    const row: StaffRow = {
      id: newId('st'),
      ...s,
      tokenHash: tokenHash(token),
      revokedAt: null,
      createdAt: this.deps.clock(),
    };
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.getStore(s.storeId))) throw errors.notFound(`Store ${s.storeId}`);
      await tx.insertStaff(row);
      // The token is never in the audit: only who got a credential for which store.
      await tx.insertAudit({
        actor,
        action: 'staff.create',
        subject: row.id,
        detail: { after: s },
        createdAt: row.createdAt,
      });
    });
    const { tokenHash: _hidden, ...staff } = row;
    return { staff, token };
  }

  async revoke(actor: string, staffId: string): Promise<void> {
    const at = this.deps.clock();
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.revokeStaff(staffId, at))) throw errors.notFound('Active staff credential');
      await tx.insertAudit({ actor, action: 'staff.revoke', subject: staffId, detail: {}, createdAt: at });
    });
  }

  /** The caller behind a staff token, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<Caller | null> {
    const staff = await this.deps.store.staffByTokenHash(tokenHash(token));
    if (!staff || staff.revokedAt !== null) return null;
    return { id: staff.id, name: staff.name, role: staff.role, storeId: staff.storeId };
  }
}

/** A scoped caller may only touch its own store's things. */
export function assertStoreScope(caller: Caller, storeId: string | null): void {
  if (caller.storeId !== null && caller.storeId !== storeId) {
    throw errors.forbidden('This belongs to another store.');
  }
}

/**
 * Console operators (DESIGN "Operators and the console"): accounts with a
 * role, passwords hashed with scrypt, sessions that expire, and a lockout
 * after repeated failures. JIFEN_ADMIN_TOKEN stays the bootstrap credential
 * (it may create the first HQ operator); staff tokens stay the tills'.
 *
 * Operators are configuration documents (kind `operator`, one per account,
 * and `operator_name` mapping a username to its account), so every backend
 * keeps them without a table of their own. Unlike rules they keep no version
 * history: an old password hash must not outlive its change.
 *
 * A session is a signed token naming the operator and their session version;
 * changing the password or disabling the account bumps the version, which
 * ends every session at once (checked on each request, not cached).
 */
import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError, errors } from '../domain/errors.js';
import type { Store, Tx } from '../store/port.js';
import { configDoc, plainDoc } from './config-docs.js';
import { newId } from './ids.js';

export type Role = 'hq' | 'manager' | 'cashier';
export const ROLES: readonly Role[] = ['hq', 'manager', 'cashier'];

export interface Operator {
  id: string;
  username: string;
  role: Role;
  /** The stores a manager or cashier works for; empty for HQ (all stores). */
  storeIds: string[];
  status: 'active' | 'disabled';
  createdAt: number;
  updatedAt: number;
}

interface OperatorDoc extends Operator {
  passwordHash: string;
  sessionVersion: number;
  failures: number;
  lockedUntil: number | null;
}

/** Who is calling /api/admin/*: an operator, or the bootstrap admin token (an HQ caller named `hq`). */
export interface ConsoleCaller {
  id: string;
  username: string;
  role: Role;
  storeIds: string[];
}

export const BOOTSTRAP_CALLER: ConsoleCaller = { id: 'hq', username: 'hq', role: 'hq', storeIds: [] };

export const SESSION_HOURS = 8; // a working shift
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const TOKEN_PREFIX = 'op1';

// scrypt at N = 2^15: about 30–60 ms a check on this machine, 32 MiB each.
const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;

const scrypt = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, KEY_LEN, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, , , , salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checked when an operator's password is set: long enough to resist guessing, not a name. */
function refuseWeakPassword(username: string, password: string): void {
  if (password.length < 10) throw errors.validation('The password needs at least 10 characters.');
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw errors.validation('The password must not contain the username.');
  }
  if (new Set(password).size < 5) throw errors.validation('The password needs at least 5 different characters.');
}

const view = (d: OperatorDoc): Operator => ({
  id: d.id,
  username: d.username,
  role: d.role,
  storeIds: d.storeIds,
  status: d.status,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export class Operators {
  private readonly key: Buffer;
  /** A hash to check against when the username is unknown, so the answer takes as long either way (made on first use). */
  private dummy: Promise<string> | null = null;

  constructor(private readonly deps: { store: Store; clock: () => number; secret: string }) {
    this.key = createHmac('sha256', deps.secret).update('jifen/operator-session/v1').digest();
  }

  async list(): Promise<Operator[]> {
    const docs = await this.deps.store.configDocs('operator');
    return docs.map((d) => view(d.body as unknown as OperatorDoc)).sort((a, b) => a.username.localeCompare(b.username));
  }

  async create(
    actor: string,
    input: { username: string; password: string; role: Role; storeIds?: string[] },
  ): Promise<Operator> {
    const username = input.username.trim().toLowerCase();
    refuseWeakPassword(username, input.password);
    const storeIds = input.role === 'hq' ? [] : [...new Set(input.storeIds ?? [])];
    if (input.role !== 'hq' && storeIds.length === 0) {
      throw errors.validation('A manager or cashier works for at least one store: give storeIds.');
    }
    for (const id of storeIds) {
      if (!(await this.deps.store.getStore(id))) throw errors.validation(`There is no store ${id}.`);
    }
    const now = this.deps.clock();
    const doc: OperatorDoc = {
      id: newId('op'),
      username,
      role: input.role,
      storeIds,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      passwordHash: await hashPassword(input.password),
      sessionVersion: 1,
      failures: 0,
      lockedUntil: null,
    };
    await this.deps.store.transaction(async (tx) => {
      if (await tx.lockConfig('operator_name', username)) {
        throw errors.conflict('USERNAME_TAKEN', `The username ${username} is taken.`);
      }
      await tx.putConfig(plainDoc('operator_name', username, { operatorId: doc.id }, actor, now));
      await this.put(tx, doc, actor);
      await tx.insertAudit({
        actor,
        action: 'operator.create',
        subject: doc.id,
        detail: { after: view(doc) },
        createdAt: now,
      });
    });
    return view(doc);
  }

  /** Disable, enable, change the role or stores, or set a new password; every change but enabling ends the sessions. */
  async update(
    actor: string,
    id: string,
    change: { status?: 'active' | 'disabled'; password?: string; role?: Role; storeIds?: string[] },
  ): Promise<Operator> {
    const now = this.deps.clock();
    const password = change.password ?? null;
    return this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('operator', id);
      if (!held) throw errors.notFound('Operator');
      const before = held.body as unknown as OperatorDoc;
      if (password !== null) refuseWeakPassword(before.username, password);
      const role = change.role ?? before.role;
      const storeIds = role === 'hq' ? [] : (change.storeIds ?? before.storeIds);
      if (role !== 'hq' && storeIds.length === 0) {
        throw errors.validation('A manager or cashier works for at least one store: give storeIds.');
      }
      const after: OperatorDoc = {
        ...before,
        role,
        storeIds,
        status: change.status ?? before.status,
        passwordHash: password !== null ? await hashPassword(password) : before.passwordHash,
        // Only enabling keeps sessions: any other change must reach a signed-in operator at once.
        sessionVersion:
          change.status === 'active' && Object.keys(change).length === 1
            ? before.sessionVersion
            : before.sessionVersion + 1,
        failures: password !== null ? 0 : before.failures,
        lockedUntil: password !== null ? null : before.lockedUntil,
        updatedAt: now,
      };
      await this.put(tx, after, actor);
      await tx.insertAudit({
        actor,
        action: password !== null ? 'operator.password' : 'operator.update',
        subject: id,
        detail: { before: view(before), after: view(after) },
        createdAt: now,
      });
      return view(after);
    });
  }

  /**
   * Signs in: a session token on the right password. A wrong one counts a
   * failure; the MAX_FAILURES-th locks the account for LOCK_MINUTES (429
   * ACCOUNT_LOCKED, with when to come back), and a locked account refuses
   * even the right password until then.
   */
  async login(usernameIn: string, password: string): Promise<{ token: string; expiresAt: number; operator: Operator }> {
    const username = usernameIn.trim().toLowerCase();
    const now = this.deps.clock();
    const name = await configDoc(this.deps.store, 'operator_name', username);
    const id = (name?.body as { operatorId?: string } | undefined)?.operatorId;
    const found = id
      ? ((await configDoc(this.deps.store, 'operator', id))?.body as OperatorDoc | undefined)
      : undefined;
    this.dummy ??= hashPassword(randomBytes(12).toString('hex'));
    const right = await passwordMatches(password, found?.passwordHash ?? (await this.dummy));
    if (!found || found.status !== 'active') throw loginFailed();
    if (found.lockedUntil !== null && found.lockedUntil > now) throw locked(found.lockedUntil - now);
    const doc = await this.deps.store.transaction(async (tx) => {
      const held = await tx.lockConfig('operator', found.id);
      const d = held!.body as unknown as OperatorDoc;
      const next: OperatorDoc = right
        ? { ...d, failures: 0, lockedUntil: null }
        : d.failures + 1 >= MAX_FAILURES
          ? { ...d, failures: 0, lockedUntil: now + LOCK_MINUTES * 60_000 }
          : { ...d, failures: d.failures + 1 };
      if (next.failures !== d.failures || next.lockedUntil !== d.lockedUntil) await this.put(tx, next, 'login');
      if (next.lockedUntil !== null && next.lockedUntil !== d.lockedUntil) {
        await tx.insertAudit({
          actor: 'login',
          action: 'operator.locked',
          subject: d.id,
          detail: { failures: MAX_FAILURES, minutes: LOCK_MINUTES },
          createdAt: now,
        });
      }
      return next;
    });
    if (!right) throw doc.lockedUntil ? locked(doc.lockedUntil - now) : loginFailed();
    const expiresAt = now + SESSION_HOURS * 3_600_000;
    return { token: this.sign(doc.id, doc.sessionVersion, expiresAt), expiresAt, operator: view(doc) };
  }

  /** The operator a session token names, while it is unexpired, its version current and the account active. */
  async authenticate(token: string): Promise<ConsoleCaller | null> {
    const [prefix, id, version, exp, sig] = token.split('.');
    if (prefix !== TOKEN_PREFIX || !id || !version || !exp || !sig) return null;
    const expected = this.mac(`${id}.${version}.${exp}`);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(exp) * 1000 <= this.deps.clock()) return null;
    const doc = (await configDoc(this.deps.store, 'operator', id))?.body as OperatorDoc | undefined;
    if (!doc || doc.status !== 'active' || String(doc.sessionVersion) !== version) return null;
    return { id: doc.id, username: doc.username, role: doc.role, storeIds: doc.storeIds };
  }

  private sign(id: string, version: number, expiresAt: number): string {
    const exp = Math.floor(expiresAt / 1000);
    return `${TOKEN_PREFIX}.${id}.${version}.${exp}.${this.mac(`${id}.${version}.${exp}`).toString('base64url')}`;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  private async put(tx: Tx, d: OperatorDoc, actor: string): Promise<void> {
    await tx.putConfig(plainDoc('operator', d.id, d, actor, d.updatedAt));
  }
}

const loginFailed = () => new DomainError('LOGIN_FAILED', 'The username or password is wrong.', 401);
const locked = (ms: number) =>
  new DomainError('ACCOUNT_LOCKED', `Too many wrong passwords; try again in ${Math.ceil(ms / 60_000)} minutes.`, 429, {
    retryAfterSeconds: Math.ceil(ms / 1000),
  });

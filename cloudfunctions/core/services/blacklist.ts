/**
 * Phones and WeChat openids that get no bonuses (check-in, referral,
 * birthday, phone binding): HQ adds one with a reason when a risk alert
 * proves abuse. Payments still earn (the member paid money), as for a
 * frozen member. Phones are kept as their lookup hash and shown masked,
 * never in clear (PIPL). One configuration document, so every change is
 * versioned and audited, and every process sees it within CONFIG_TTL_MS.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../domain/errors.js';
import type { MemberRow, Store } from '../store/port.js';
import { SingletonConfig } from './config-docs.js';
import { maskPhone, type PhoneVault } from './phones.js';

export interface BlacklistEntry {
  id: string;
  kind: 'phone' | 'openid';
  /** The phone's lookup hash, or the openid. */
  value: string;
  /** What an operator sees: the masked phone, or the openid. */
  shown: string;
  reason: string;
  addedBy: string;
  addedAt: number;
}

/** Entries a list may hold: a list for the few abusers an alert finds, not a customer database. */
export const BLACKLIST_MAX = 5_000;

export class Blacklist {
  private readonly config: SingletonConfig<{ entries: BlacklistEntry[] }>;

  constructor(private readonly deps: { store: Store; clock: () => number; vault: PhoneVault }) {
    this.config = new SingletonConfig(deps, 'blacklist', 'list', { entries: [] });
  }

  async entries(): Promise<BlacklistEntry[]> {
    return (await this.config.get()).entries;
  }

  async add(actor: string, input: { phone?: string; openid?: string; reason: string }): Promise<BlacklistEntry> {
    const entry: BlacklistEntry = input.phone
      ? {
          ...this.base(actor, input.reason),
          kind: 'phone',
          value: this.deps.vault.hash(input.phone),
          shown: maskPhone(input.phone),
        }
      : { ...this.base(actor, input.reason), kind: 'openid', value: input.openid!, shown: input.openid! };
    const entries = await this.entries();
    if (entries.some((e) => e.kind === entry.kind && e.value === entry.value)) {
      throw errors.conflict('ALREADY_LISTED', `${entry.shown} is on the list already.`);
    }
    if (entries.length >= BLACKLIST_MAX) throw errors.validation(`The list holds at most ${BLACKLIST_MAX} entries.`);
    await this.config.save(actor, { entries: [...entries, entry] });
    return entry;
  }

  async remove(actor: string, id: string): Promise<void> {
    const entries = await this.entries();
    if (!entries.some((e) => e.id === id)) throw errors.notFound('Blacklist entry');
    await this.config.save(actor, { entries: entries.filter((e) => e.id !== id) });
  }

  /** Whether the member's openid or bound phone is listed. */
  async covers(member: Pick<MemberRow, 'openid' | 'phoneHash'>): Promise<boolean> {
    const entries = await this.entries();
    return entries.some(
      (e) =>
        (e.kind === 'openid' && e.value === member.openid) ||
        (e.kind === 'phone' && Boolean(member.phoneHash) && e.value === member.phoneHash),
    );
  }

  private base(actor: string, reason: string) {
    return { id: `bl_${randomBytes(6).toString('base64url')}`, reason, addedBy: actor, addedAt: this.deps.clock() };
  }
}

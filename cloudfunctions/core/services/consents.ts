/**
 * Consent records (PIPL): what a member agreed to, when, through which
 * action. Written in the same transaction as what the consent allows (the
 * phone bound, the subscribe credits granted), so there is never one without
 * the other. Kept after an erasure: they name the member by id only.
 */
import type { Store, Tx } from '../store/port.js';
import { plainDoc } from './config-docs.js';
import { newId } from './ids.js';

export type ConsentPurpose = 'phone' | 'subscribe';

export interface Consent {
  purpose: ConsentPurpose;
  /** What the member was told, as the app showed it. */
  statement: string;
  /** The subscribe templates accepted; empty for the phone. */
  templateIds: string[];
  at: number;
}

export const CONSENT_STATEMENTS: Record<ConsentPurpose, string> = {
  phone: '授权手机号：用于识别会员身份、合并门店积分，手机号加密存储，展示时打码。',
  subscribe: '订阅消息：在积分变动、兑换成功等时候给你发送微信通知，每次授权可收到一条。',
};

/** Ids sort by member, then time: one member's consents are one id range. */
const idOf = (memberId: string, at: number) => `${memberId}:${String(at).padStart(15, '0')}:${newId('c')}`;

export async function recordConsent(
  tx: Tx,
  memberId: string,
  purpose: ConsentPurpose,
  at: number,
  templateIds: string[] = [],
): Promise<void> {
  const consent: Consent = { purpose, statement: CONSENT_STATEMENTS[purpose], templateIds, at };
  await tx.putConfig(plainDoc('consent', idOf(memberId, at), consent, `member:${memberId}`, at));
}

/** A member's consents, oldest first. */
export async function consentsOf(store: Store, memberId: string): Promise<Consent[]> {
  const prefix = `${memberId}:`;
  const docs = await store.configDocs('consent', { from: prefix, to: `${prefix}\uffff` });
  // The range is by the database's collation; the prefix is what decides.
  return docs.filter((d) => d.id.startsWith(prefix)).map((d) => d.body as unknown as Consent);
}

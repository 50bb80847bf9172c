/**
 * One subscribe message (POST /cgi-bin/message/subscribe/send). Each tap on
 * requestSubscribeMessage grants one send; a member with no credit left is an
 * ordinary outcome ('no-credit'), not an error.
 */
import { DateTime } from 'luxon';
import { fastIso } from '../domain/time.js';
import { z } from 'zod';
import { DomainError, errors } from '../domain/errors.js';
import type { AccessTokens } from './access-token.js';
import { errcodeOf, type OpenApiClient } from './openapi-client.js';

export type MiniprogramState = 'developer' | 'trial' | 'formal';

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** The page the message opens, e.g. pages/history/index?from=msg. */
  page?: string;
  /** Template keyword → value, e.g. { thing1: fit.thing(reward.name), amount2: fit.amount(fen) }. */
  data: Record<string, string>;
  miniprogramState?: MiniprogramState;
}

export type SendResult = 'sent' | 'no-credit';

export interface SubscribeDeps {
  client: OpenApiClient;
  tokens: AccessTokens;
}

const PATH = '/cgi-bin/message/subscribe/send';
const NO_CREDIT = 43101;
/** invalid openid, invalid template_id, data not accepted by the template. */
const REJECTED: ReadonlySet<number> = new Set([40003, 40037, 47003]);

export async function sendSubscribeMessage(deps: SubscribeDeps, message: SubscribeMessage): Promise<SendResult> {
  const body = {
    touser: message.touser,
    template_id: message.templateId,
    page: message.page,
    data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
    miniprogram_state: message.miniprogramState ?? 'formal',
    lang: 'zh_CN',
  };
  try {
    await deps.tokens.withToken((token) => deps.client.postJson(PATH, { access_token: token }, body, z.object({})));
    return 'sent';
  } catch (err) {
    const errcode = errcodeOf(err);
    if (errcode === NO_CREDIT) return 'no-credit';
    if (errcode !== null && REJECTED.has(errcode)) {
      throw new DomainError('SUBSCRIBE_REJECTED', `WeChat rejected the subscribe message (errcode ${errcode}).`, 400, {
        errcode,
      });
    }
    throw err;
  }
}

/**
 * Values fitted to the template keyword types. Text is cut (WeChat refuses the
 * whole message with 47003 when one value is too long); numbers and amounts
 * are refused instead, since cutting them would change what they say.
 */
export const fit = {
  /** ≤ 20 characters, counted in code points (一 and 😀 are one each), cut with an ellipsis. */
  thing: (value: string) => cut(value, 20, '…'),
  /** ≤ 32 of digits . , - */
  number(value: number | string): string {
    const text = String(value).trim();
    if (!/^[\d.,-]{1,32}$/.test(text))
      throw errors.validation(`A number field takes up to 32 of 0-9 . , - (got "${text}").`);
    return text;
  },
  /** YYYY-MM-DD HH:mm in the given IANA zone. */
  time(at: number | Date, timeZone: string): string {
    const ms = typeof at === 'number' ? at : at.getTime();
    // The local date and minute from the cached offset; luxon only for what that cannot take (a bad zone, NaN).
    const iso = fastIso(ms, timeZone);
    if (iso) return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    const local = DateTime.fromMillis(ms, { zone: timeZone });
    if (!local.isValid) throw errors.validation(`Cannot show ${String(at)} in time zone "${timeZone}".`);
    return local.toFormat('yyyy-MM-dd HH:mm');
  },
  /** Integer fen → ¥12.80 (WeChat allows at most 10 digits). */
  amount(fen: number): string {
    if (!Number.isSafeInteger(fen) || fen < 0 || fen >= 1e10)
      throw errors.validation(`Cannot show ${fen} fen as an amount.`);
    return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  },
  /** ≤ 5 characters. */
  phrase: (value: string) => cut(value, 5),
  /** ≤ 32 characters. */
  characterString: (value: string) => cut(value, 32),
};

function cut(value: string, max: number, ellipsis = ''): string {
  const points = [...value.replace(/\s+/g, ' ').trim()];
  if (points.length <= max) return points.join('');
  // Never leave a dangling zero-width joiner from a split emoji sequence.
  const kept = points
    .slice(0, max - [...ellipsis].length)
    .join('')
    .replace(/[\s\u200d]+$/u, '');
  return kept + ellipsis;
}

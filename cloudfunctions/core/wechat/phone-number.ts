/**
 * The getPhoneNumber button's code → the member's phone number. The code
 * lives 5 minutes and works once; WeChat answers 40029 for either case.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import type { AccessTokens } from './access-token.js';
import { mapErrcodes, type OpenApiClient } from './openapi-client.js';

export interface PhoneInfo {
  /** With the country code for numbers outside mainland China. */
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface PhoneDeps {
  client: OpenApiClient;
  tokens: AccessTokens;
}

const PATH = '/wxa/business/getuserphonenumber';

const PhoneAnswer = z.object({
  phone_info: z.object({
    phoneNumber: z.string().min(1),
    purePhoneNumber: z.string().min(1),
    // documented as a string, sent as a number in practice
    countryCode: z.union([z.string(), z.number()]).transform(String),
  }),
});

const codeInvalid = () =>
  new DomainError('PHONE_CODE_INVALID', 'The phone number code is invalid or expired; tap the button again.', 400);

// 1400001 is the mini-program's paid phone-verification quota running out:
// tapping again cannot help, so it is not reported as a bad code.
const quotaExhausted = () =>
  new DomainError('PHONE_QUOTA_EXHAUSTED', 'Phone number verification is unavailable right now; try again later.', 503);

export async function phoneNumber(deps: PhoneDeps, code: string): Promise<PhoneInfo> {
  if (code.trim() === '') throw codeInvalid();
  const call = deps.tokens.withToken((token) =>
    deps.client.postJson(PATH, { access_token: token }, { code }, PhoneAnswer),
  );
  const answer = await mapErrcodes(call, {
    40029: codeInvalid, // invalid, used or expired code
    47001: codeInvalid, // body not understood, e.g. a code that is not a string
    1400001: quotaExhausted,
  });
  const { phoneNumber, purePhoneNumber, countryCode } = answer.phone_info;
  return { phoneNumber, purePhoneNumber, countryCode };
}

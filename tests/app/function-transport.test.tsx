/**
 * The cloud-function transports' shared half (api/function-call.ts) through
 * the web one (transport.cloudbase.ts), with @cloudbase/js-sdk replaced by a
 * recorder: what each call sends, and how answers and refusals come back.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiError } from '../../src/api/endpoints';
import { saveStaffToken, staffToken } from '../../src/api/staff-session';

const sent: { name: string; data: unknown }[] = [];
let answer: unknown = { ok: true, data: {} };
let signedIn = false;
const signIns: string[] = [];

vi.mock('@cloudbase/js-sdk', () => ({
  default: {
    init: () => ({
      auth: () => ({
        getLoginState: async () => (signedIn ? { user: { isAnonymous: true } } : null),
        signInAnonymously: async () => {
          signIns.push('anonymous');
          signedIn = true;
          return { error: null };
        },
        signInWithCustomTicket: async () => signIns.push('ticket'),
      }),
      callFunction: async (o: { name: string; data: unknown }) => {
        sent.push({ name: o.name, data: o.data });
        return { result: answer };
      },
    }),
  },
}));

async function cloudbase() {
  vi.stubEnv('TARO_APP_CLOUD_ENV', 'env-test');
  vi.resetModules();
  return (await import('../../src/api/transport.cloudbase')).transport;
}

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  // By name: each test loads the transport afresh (vi.resetModules), with its own ApiError class.
  expect((e as Error).name).toBe('ApiError');
  return e as ApiError;
};

beforeEach(() => {
  sent.length = 0;
  signIns.length = 0;
  signedIn = false;
  answer = { ok: true, data: {} };
});

describe('cloud function transport (web, @cloudbase/js-sdk)', () => {
  it('signs in anonymously once, then calls the member function with the action and the request', async () => {
    const t = await cloudbase();
    answer = { ok: true, data: { balance: 7 } };
    expect(await t.call('me', {})).toEqual({ balance: 7 });
    await t.call('history', { limit: 20 });
    expect(signIns).toEqual(['anonymous']);
    expect(sent).toEqual([
      { name: 'member', data: { action: 'me', data: {} } },
      { name: 'member', data: { action: 'history', data: { limit: 20 } } },
    ]);
  });

  it('staff calls carry the saved token; without one nothing is sent; a refused token is forgotten', async () => {
    const t = await cloudbase();
    expect((await refusal(t.call('staffMe', {}))).code).toBe('STAFF_SIGNED_OUT');
    expect(sent).toHaveLength(0);
    saveStaffToken('staff-token-1');
    answer = { ok: false, error: { code: 'UNAUTHORIZED', message: 'no', status: 401 } };
    const e = await refusal(t.call('verifyVoucher', { code: 'ABCD2345EFGH' }));
    expect(e.status).toBe(401);
    expect(sent).toEqual([
      { name: 'staff', data: { action: 'verifyVoucher', token: 'staff-token-1', data: { code: 'ABCD2345EFGH' } } },
    ]);
    expect(staffToken()).toBeNull();
  });

  it("refusals keep the server's code, status and Chinese; a web member without a ticket is told where it works", async () => {
    const t = await cloudbase();
    answer = {
      ok: false,
      error: { code: 'OUT_OF_STOCK', message: 'gone', status: 409, details: { zh: '礼品已兑完' } },
    };
    expect(await refusal(t.call('redeem', { rewardId: 'r', requestId: 'q' }))).toMatchObject({
      code: 'OUT_OF_STOCK',
      status: 409,
      zh: '礼品已兑完',
    });
    answer = { ok: false, error: { code: 'UNAUTHORIZED', message: 'who?', status: 401 } };
    expect((await refusal(t.call('me', {}))).zh).toBe('请在微信小程序中打开');
  });

  it('login is not a function action: the function knows the caller already', async () => {
    const t = await cloudbase();
    expect((await refusal(t.call('login', { code: 'x' }))).code).toBe('NOT_A_FUNCTION_ACTION');
  });
});

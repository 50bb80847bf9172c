/**
 * Our reading of the caller context agrees with the SDKs' own: wx-server-sdk
 * getWXContext() (process.env) and @cloudbase/node-sdk getCloudbaseContext()
 * (process.env and context.environment), so not loading them at cold start
 * loses nothing.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { callerOf } from '../../cloudfunctions/functions/caller.js';

const require = createRequire(import.meta.url);
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('callerOf', () => {
  it('a mini-program caller: the OPENID wx-server-sdk would report', () => {
    Object.assign(process.env, {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
      WX_OPENID: 'oAbc123_-xyz',
      WX_APPID: 'wx1234567890',
      WX_UNIONID: 'uAbc',
      WX_CLIENTIP: '10.0.0.1',
    });
    const wx = (require('wx-server-sdk') as { getWXContext(): Record<string, unknown> }).getWXContext();
    expect(callerOf(undefined)).toEqual({
      openid: wx.OPENID,
      appid: wx.APPID,
      unionid: wx.UNIONID,
      uid: null,
      customUserId: null,
      anonymousUid: null,
    });
  });

  it('a web caller with a custom-login ticket, read from context.environment as the node SDK does', () => {
    const environment = JSON.stringify({
      TCB_CONTEXT_KEYS: 'TCB_UUID,TCB_CUSTOM_USER_ID,TCB_ISANONYMOUS_USER',
      TCB_UUID: 'uuid-1',
      TCB_CUSTOM_USER_ID: 'oMemberOpenid0001',
      TCB_ISANONYMOUS_USER: 'false',
    });
    const sdk = require('@cloudbase/node-sdk') as { getCloudbaseContext(c: unknown): Record<string, string> };
    const ctx = sdk.getCloudbaseContext({ environment });
    expect(callerOf({ environment })).toEqual({
      openid: null,
      appid: null,
      unionid: null,
      uid: ctx.TCB_UUID,
      customUserId: ctx.TCB_CUSTOM_USER_ID,
      anonymousUid: null,
    });
  });

  it('an anonymous web caller is nobody in particular; keys not listed in *_CONTEXT_KEYS do not count', () => {
    Object.assign(process.env, {
      TCB_CONTEXT_KEYS: 'TCB_UUID,TCB_ISANONYMOUS_USER',
      TCB_UUID: 'uuid-anon',
      TCB_ISANONYMOUS_USER: 'true',
      WX_OPENID: 'o-not-listed',
    });
    expect(callerOf({})).toMatchObject({ openid: null, customUserId: null, anonymousUid: 'uuid-anon' });
  });

  it('takes the identity from one source: a context the runtime passes wins over the process environment, whole', () => {
    Object.assign(process.env, { WX_CONTEXT_KEYS: 'WX_OPENID', WX_OPENID: 'o-from-env' });
    const environment = JSON.stringify({ TCB_CONTEXT_KEYS: 'TCB_UUID', TCB_UUID: 'uuid-ctx' });
    expect(callerOf({ environment })).toMatchObject({ openid: null, uid: 'uuid-ctx' });
    // Keys listed in the context, values only in the environment: nobody.
    const listedOnly = JSON.stringify({ WX_CONTEXT_KEYS: 'WX_OPENID' });
    expect(callerOf({ environment: listedOnly }).openid).toBeNull();
    expect(callerOf({}).openid).toBe('o-from-env');
  });
});

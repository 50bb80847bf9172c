/**
 * WeChat's own code-quality checks (miniprogram-ci checkCodeQuality, the
 * devtools' 代码质量 panel) on a built mini-program, offline.
 *
 * usage: node tests/support/weapp-code-quality.mjs <projectDir>
 *   projectDir holds project.config.json; its miniprogramRoot points at the build.
 * stdout: JSON { result, requests, blockedSockets, errors, ms }.
 *
 * Run as a child process: it patches miniprogram-ci's internals and `net`
 * for its whole process. miniprogram-ci 2.1.42's checkCodeQuality makes no
 * network call itself, but the project's attributes come from WeChat's CGI
 * (servicewechat.com /wxa/ci/getrandstr, /wxa/ci/getattr) when asked: those
 * are answered here in their real shapes, the RSA signature verified as the
 * server would, and any socket at all is refused. Pinned exactly in
 * package.json because it reaches into dist/ internals.
 */
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

import path from 'node:path';
import { URL } from 'node:url';

const require = createRequire(import.meta.url);
const projectPath = path.resolve(process.argv[2] ?? '.');

// miniprogram-ci prints progress with console.log; keep stdout for the JSON.
const log = console.log;
console.log = (...a) => console.error(...a);

// Guard: nothing in this process may open a socket (catches http, https, tls, request, proxies).
const blockedSockets = [];
net.Socket.prototype.connect = function (...a) {
  blockedSockets.push(JSON.stringify(a[0]));
  throw new Error(`offline test: socket connect blocked ${JSON.stringify(a[0])}`);
};

// Throwaway RSA key: miniprogram-ci needs privateKey/privateKeyPath and signs with it locally.
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

// Answer WeChat's CGI locally. Every call goes through utils/request.js `request()`
// (callers do `(0, request_1.request)(...)`, a live property read), so replacing the export intercepts all of them.
const ciRequest = require('miniprogram-ci/dist/utils/request');
const requests = [];
const randStr = new Map();
const ATTR = {
  platform: false,
  appType: 0,
  isSandbox: false,
  released: false,
  setting: {
    MaxCodeSize: 2,
    MaxSubpackageSubCodeSize: 2,
    MaxSubpackageFullCodeSize: 20,
    NavigateMiniprogramLimit: 10,
    MaxSubPackageLimit: 100,
    MinTabbarCount: 2,
    MaxTabbarCount: 5,
    MaxCustomTabbarCount: 10,
    MaxTabbarIconSize: 40,
  },
};
function answer(url, body) {
  const u = new URL(url);
  if (u.host !== 'servicewechat.com') throw new Error(`unexpected host ${u.host}`);
  if (u.pathname === '/wxa/ci/getrandstr') {
    const randomString = crypto.randomBytes(8).toString('hex');
    randStr.set(body.appid, randomString);
    return { errCode: 0, errMsg: 'ok', data: { randomString } };
  }
  if (u.pathname === '/wxa/ci/getattr') {
    // signature = base64(RSA_PKCS1 privateEncrypt(JSON {appid, rand_str})) — verify it like the server would.
    const signed = JSON.parse(
      crypto
        .publicDecrypt(
          { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING },
          Buffer.from(body.signature, 'base64'),
        )
        .toString(),
    );
    if (signed.appid !== body.appid || signed.rand_str !== randStr.get(body.appid))
      return { errCode: -1, errMsg: 'bad signature' };
    return { errCode: 0, errMsg: 'ok', data: ATTR };
  }
  throw new Error(`unexpected CGI ${u.pathname}`);
}
ciRequest.request = (opt) => {
  const body = opt.body ? JSON.parse(opt.body) : undefined;
  requests.push({ method: opt.method, url: opt.url, body });
  return (async () => ({ resp: { statusCode: 200, headers: {} }, body: JSON.stringify(answer(opt.url, body)) }))();
};

// The code analyser starts a chokidar watcher and never closes it (the process would never exit): track and close them.
const chokidar = createRequire(require.resolve('miniprogram-ci/dist/common/code-analyse/index.js'))('chokidar');
const watchers = [];
const watch = chokidar.watch;
chokidar.watch = (...a) => {
  const w = watch.apply(chokidar, a);
  watchers.push(w);
  return w;
};

const ci = require('miniprogram-ci');
const appid =
  JSON.parse(fs.readFileSync(path.join(projectPath, 'project.config.json'), 'utf8')).appid || 'touristappid';
const project = new ci.Project({ appid, type: 'miniProgram', projectPath, privateKey, ignores: ['node_modules/**/*'] });

// A check that throws is reported as success:true by miniprogram-ci (it only console.error()s): record those.
const errors = [];
const logError = console.error;
console.error = (...a) => {
  if (a.some((x) => x instanceof Error)) errors.push(String(a.find((x) => x instanceof Error)));
  logError(...a);
};
const t0 = Date.now();
const attr = await project.attr(); // not used by checkCodeQuality in 2.1.42; proves the getattr round-trip is answered locally
const result = await ci.checkCodeQuality(project);
const ms = Date.now() - t0;
await Promise.all(watchers.map((w) => w.close()));
console.error = logError;

console.log = log;
console.log(
  JSON.stringify(
    {
      result,
      attrOk: attr === ATTR || JSON.stringify(attr) === JSON.stringify(ATTR),
      requests,
      blockedSockets,
      errors,
      ms,
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    },
    null,
    2,
  ),
);
console.error(result.map((r) => `${r.success ? 'PASS' : 'FAIL'} ${r.name}: ${r.text}`).join('\n'));
process.exitCode = result.every((r) => r.success) && blockedSockets.length === 0 && errors.length === 0 ? 0 : 1;

/**
 * The built mini-program through WeChat's own code-quality checks
 * (miniprogram-ci checkCodeQuality: package size, JS/WXML/WXSS compression,
 * lazy code loading, images, code of other packages, unused files), offline:
 * tests/support/weapp-code-quality.mjs answers WeChat's CGI locally and
 * refuses any socket. A copy with compression and lazy loading turned off
 * must fail those checks, so the pass means something.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'tests/support/weapp-code-quality.mjs');

interface Report {
  result: { name: string; success: boolean; detail?: unknown }[];
  blockedSockets: string[];
  errors: string[];
  requests: { url: string }[];
}

async function check(projectDir: string): Promise<Report> {
  // Exit code 1 means a failed check: the report on stdout says which.
  const out = await run(process.execPath, [SCRIPT, projectDir], { cwd: ROOT, maxBuffer: 8 << 20 }).catch(
    (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
  );
  return JSON.parse(out.stdout) as Report;
}
const failed = (r: Report) => r.result.filter((c) => !c.success).map((c) => c.name);

describe('WeChat code quality of the built mini-program', () => {
  it('passes every check, with nothing sent to the network', async () => {
    const r = await check(ROOT);
    expect(r.result.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'PACKAGE_SIZE_LIMIT',
        'JS_COMPRESS_OPEN',
        'WXML_COMPRESS_OPEN',
        'WXSS_COMPRESS_OPEN',
        'LAZYCODE_LOADING_OPEN',
        'IMAGE_AND_AUDIO_LIMIT',
        'CONTAINS_OTHER_PKG_JS',
        'CONTAINS_UNUSED_CODES',
      ]),
    );
    expect(failed(r)).toEqual([]);
    expect(r.errors).toEqual([]); // a check that threw would count as passed: none did
    expect(r.blockedSockets).toEqual([]);
    expect(r.requests.every((q) => q.url.startsWith('https://servicewechat.com/'))).toBe(true);
  }, 60_000);

  it('fails the compression and lazy-loading checks on a copy with them off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jifen-weapp-'));
    cpSync(join(ROOT, 'dist/weapp'), join(dir, 'dist/weapp'), { recursive: true });
    const project = JSON.parse(readFileSync(join(ROOT, 'project.config.json'), 'utf8'));
    Object.assign(project.setting, { minified: false, minifyWXML: false, minifyWXSS: false });
    writeFileSync(join(dir, 'project.config.json'), JSON.stringify(project));
    const appJson = join(dir, 'dist/weapp/app.json');
    const app = JSON.parse(readFileSync(appJson, 'utf8'));
    delete app.lazyCodeLoading;
    writeFileSync(appJson, JSON.stringify(app));
    expect(failed(await check(dir)).sort()).toEqual([
      'JS_COMPRESS_OPEN',
      'LAZYCODE_LOADING_OPEN',
      'WXML_COMPRESS_OPEN',
      'WXSS_COMPRESS_OPEN',
    ]);
  }, 60_000);
});

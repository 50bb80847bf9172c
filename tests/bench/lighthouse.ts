/**
 * `npm run lighthouse`: Lighthouse (mobile, its default simulated slow 4G and
 * CPU) on the member H5 app's home page, served by the real server in
 * sandbox, in this machine's Chromium. Prints the three scores issue 15
 * holds the app to and every audit that lost points. Never fails on a score.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/browser.js';
import { startServer } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'jifen-lighthouse-'));
mkdirSync(join(dir, 'chrome'));
const server = await startServer(`sqlite:${join(dir, 'jifen.db')}`);
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  userDataDir: join(dir, 'chrome'),
  chromeFlags: CHROMIUM_FLAGS,
});
try {
  const result = await lighthouse(`${server.url}/`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  const lhr = result!.lhr;
  console.log(`Lighthouse ${lhr.lighthouseVersion}, ${lhr.configSettings.formFactor}, ${server.url}/`);
  for (const [id, cat] of Object.entries(lhr.categories)) {
    console.log(`  ${id.padEnd(16)} ${Math.round((cat.score ?? 0) * 100)}`);
  }
  for (const key of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'speed-index']) {
    console.log(`  ${key.padEnd(26)} ${lhr.audits[key]?.displayValue ?? '-'}`);
  }
  console.log('audits that lost points:');
  for (const cat of Object.values(lhr.categories)) {
    for (const ref of cat.auditRefs) {
      const a = lhr.audits[ref.id];
      if (!a || ref.weight === 0 || a.score === null || a.score >= 0.9) continue;
      console.log(`  [${cat.id}] ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`);
      const items = (a.details as { items?: { node?: { snippet?: string; explanation?: string } }[] } | undefined)
        ?.items;
      for (const item of items?.slice(0, 8) ?? []) {
        if (item.node) console.log(`      ${item.node.snippet ?? ''} ${item.node.explanation?.split('\n')[1] ?? ''}`);
      }
    }
  }
} finally {
  await chrome.kill();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

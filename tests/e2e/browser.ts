/**
 * Headless Debian Chromium through playwright-core (no downloaded browsers
 * here), a phone-sized page, and screenshots into tests/artifacts/screens/
 * (git-ignored) so a person can look at every screen the run went through.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS = fileURLToPath(new URL('../artifacts/screens/', import.meta.url));
export const H5_INDEX = fileURLToPath(new URL('../../dist/h5/index.html', import.meta.url));

/** Why the browser tests cannot run here, '' when they can. */
export function browserSkipReason(): string {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)`;
  if (!existsSync(H5_INDEX)) return 'no H5 build in dist/h5 (npm test builds it first: npm run build:app)';
  return '';
}

/** The Chromium flags every browser run here uses (the end-to-end tests, npm run lighthouse). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function phoneBrowser(): Promise<BrowserContext> {
  mkdirSync(SCREENS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'jifen-chromium-')), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** A desktop browser for the console: operators work at a desk, on a wide screen. */
export async function desktopBrowser(): Promise<BrowserContext> {
  mkdirSync(SCREENS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'jifen-chromium-')), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
}

/** The little of the page's document the wait below reads (this file is type-checked without the DOM library). */
interface PageDocument {
  fonts: { status: string };
  images: ArrayLike<{ complete: boolean }>;
  getAnimations(): { playState: string }[];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Let fonts and SVG data images paint before the picture is taken. Not
  // 'networkidle': an open home page holds its live balance stream open, so
  // the network is never idle there.
  await page.waitForLoadState('load');
  await page
    .waitForFunction(
      // A function, not a string: a string predicate is eval'd in the page, which its CSP (rightly) refuses.
      () => {
        const d = (globalThis as unknown as { document: PageDocument }).document;
        return (
          d.fonts.status === 'loaded' &&
          Array.from(d.images).every((i) => i.complete) &&
          // …and no transition still running (a closing dialog would be caught half faded).
          d.getAnimations().every((a) => a.playState !== 'running')
        );
      },
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  // A focused field scrolls the emulated phone sideways to its caret; a person would have closed the keyboard.
  await page.evaluate(`document.activeElement && document.activeElement.blur(); window.scrollTo(0, window.scrollY)`);
  // The viewport, as a phone shows it: a full-page capture would also take in
  // the pages Taro's H5 router keeps off to the side of the stack.
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}

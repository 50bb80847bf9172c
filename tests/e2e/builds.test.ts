/**
 * The two app builds `npm test` makes first: the mini-program WeChat devtools
 * opens from the repository root, and the H5 app the local server serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGES, STAFF_ROOT } from '../../src/routes.js';

const root = (p: string) => new URL(`../../${p}`, import.meta.url);
const json = (p: string) => JSON.parse(readFileSync(root(p), 'utf8'));

describe('app builds', () => {
  it('weapp: project.config.json points at a mini-program with every page', () => {
    const project = json('project.config.json');
    const dir = project.miniprogramRoot.replace(/\/$/, '');
    const app = json(`${dir}/app.json`);
    // Staff pages sit in their own subpackage: members never download the till's code.
    const inStaff = (p: string) => p.startsWith(`${STAFF_ROOT}/`);
    expect(app.pages).toEqual(Object.values(PAGES).filter((p) => !inStaff(p)));
    expect(app.subPackages).toEqual([
      {
        root: STAFF_ROOT,
        pages: Object.values(PAGES)
          .filter(inStaff)
          .map((p) => p.slice(STAFF_ROOT.length + 1)),
      },
    ]);
    const all = [...app.pages, ...app.subPackages[0].pages.map((p: string) => `${STAFF_ROOT}/${p}`)] as string[];
    expect(all).toEqual(expect.arrayContaining(['pages/tier/index', 'pages/earn/index', 'pages/mine/index']));
    for (const page of all) {
      for (const ext of ['js', 'json', 'wxml'])
        expect(existsSync(root(`${dir}/${page}.${ext}`)), `${page}.${ext}`).toBe(true);
    }
    // The tab bar: 首页 / 兑换 / 我的, each with its icons in the build.
    expect(app.tabBar.list.map((t: { text: string }) => t.text)).toEqual(['首页', '兑换', '我的']);
    for (const t of app.tabBar.list as { iconPath: string; selectedIconPath: string }[]) {
      expect(existsSync(root(`${dir}/${t.iconPath}`)), t.iconPath).toBe(true);
      expect(existsSync(root(`${dir}/${t.selectedIconPath}`)), t.selectedIconPath).toBe(true);
    }
    expect(app.lazyCodeLoading).toBe('requiredComponents');
    // Sharing (with the referral code): Taro gives the page an onShareAppMessage only when its config enables it.
    for (const page of ['pages/index/index', 'pages/mine/index'])
      expect(readFileSync(root(`${dir}/${page}.js`), 'utf8'), page).toMatch(/\.enableShareAppMessage=!0,Page\(/);
    expect(readFileSync(root(`${dir}/pages/tier/index.js`), 'utf8')).not.toContain('enableShareAppMessage');
    // Pull to refresh must reach the mini-program's page config, or the gesture does nothing there.
    expect(json(`${dir}/pages/history/index.json`).enablePullDownRefresh).toBe(true);
  });

  it('console: index.html loads its bundle from /console/, with brotli copies beside it', () => {
    const html = readFileSync(root('dist/console/index.html'), 'utf8');
    const scripts = [...html.matchAll(/src="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) {
      expect(existsSync(root(`dist/console/${s}`)), s).toBe(true);
      expect(existsSync(root(`dist/console/${s}.br`)), `${s}.br`).toBe(true);
    }
  });

  it('h5: index.html loads the bundled app', () => {
    const html = readFileSync(root('dist/h5/index.html'), 'utf8');
    const scripts = [...html.matchAll(/src="\/?(js\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(existsSync(root(`dist/h5/${s}`)), s).toBe(true);
  });
});

/**
 * The two app builds `npm test` makes first: the mini-program WeChat devtools
 * opens from the repository root, and the H5 app the local server serves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../src/routes.js';

const root = (p: string) => new URL(`../../${p}`, import.meta.url);
const json = (p: string) => JSON.parse(readFileSync(root(p), 'utf8'));

describe('app builds', () => {
  it('weapp: project.config.json points at a mini-program with every page', () => {
    const project = json('project.config.json');
    const dir = project.miniprogramRoot.replace(/\/$/, '');
    const app = json(`${dir}/app.json`);
    expect(app.pages).toEqual(Object.values(PAGES));
    for (const page of app.pages as string[]) {
      for (const ext of ['js', 'json', 'wxml'])
        expect(existsSync(root(`${dir}/${page}.${ext}`)), `${page}.${ext}`).toBe(true);
    }
    // Pull to refresh must reach the mini-program's page config, or the gesture does nothing there.
    expect(json(`${dir}/pages/history/index.json`).enablePullDownRefresh).toBe(true);
  });

  it('h5: index.html loads the bundled app', () => {
    const html = readFileSync(root('dist/h5/index.html'), 'utf8');
    const scripts = [...html.matchAll(/src="\/?(js\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(existsSync(root(`dist/h5/${s}`)), s).toBe(true);
  });
});

/**
 * `npm run build:server`: the local server as plain JavaScript
 * (dist/server/main.mjs), bundled by the same esbuild the functions use.
 * `npm start` runs it with node: no TypeScript compiler in the serving
 * process, which held about a third of its memory. Only our own code is
 * bundled; packages load from node_modules as they are. Code splitting keeps
 * each lazily imported backend (PostgreSQL, CloudBase) in a chunk of its own,
 * so a SQLite server never loads pg (about 17 MB resident).
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_BUNDLE = join(root, 'dist/server/main.mjs');
/**
 * The flags `npm start` runs the bundle with (package.json says them again;
 * a test keeps the two the same). A young generation of at most 2 × 8 MB
 * instead of V8's 2 × 16: the server's peak during 8,000 notifications fell
 * from about 150 to 135 MB, its throughput the same within noise (issue 13).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];

export async function buildServer(outfile = SERVER_BUNDLE): Promise<string> {
  const outdir = dirname(outfile);
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true }); // no stale chunks of an older build
  await build({
    entryPoints: {
      [outfile.slice(outdir.length + 1).replace(/\.mjs$/, '')]: join(root, 'cloudfunctions/local/main.ts'),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Maps beside the bundle; `NODE_OPTIONS=--enable-source-maps npm start` makes stack traces point at the
    // TypeScript. Off by default: Node then holds every map in memory (6–14 MB resident).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`built ${await buildServer()}`);
}

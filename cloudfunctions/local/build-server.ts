/**
 * `npm run build:server`: the local server as plain JavaScript
 * (dist/server/main.mjs), bundled by the same esbuild the functions use.
 * `npm start` runs it with node: no TypeScript compiler in the serving
 * process, which held about a third of its memory. Only our own code is
 * bundled; packages load from node_modules as they are.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_BUNDLE = join(root, 'dist/server/main.mjs');

export async function buildServer(outfile = SERVER_BUNDLE): Promise<string> {
  await build({
    entryPoints: [join(root, 'cloudfunctions/local/main.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked', // stack traces point at the TypeScript (node --enable-source-maps)
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  console.log(`built ${await buildServer()}`);
}

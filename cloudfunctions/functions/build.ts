/**
 * `npm run build:functions`: each function bundled by esbuild into
 * dist/functions/<name>/ (project.config.json's cloudfunctionRoot) with
 * index.js, its own package.json and the trigger config.json, ready for
 * WeChat devtools ("上传并部署") or `tcb fn deploy`. CommonJS for the
 * runtime's `exports.main`; Node 18 syntax so the Nodejs18.15 runtime works
 * too (Hono needs the global fetch/Request of Node 18+).
 */
import { build, type Metafile } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FUNCTIONS, NOT_SHIPPED, type FunctionSpec } from './manifest.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

export interface BuiltFunction {
  name: FunctionSpec['name'];
  dir: string;
  bytes: number;
  gzipBytes: number;
  /** The largest inputs, for seeing what a bundle carries. */
  largest: Array<{ path: string; bytes: number }>;
}

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function largestInputs(meta: Metafile, out: string): BuiltFunction['largest'] {
  const inputs = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined)?.inputs ?? {};
  void out;
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : 'jifen (own code)';
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 6);
}

export async function buildFunction(spec: FunctionSpec, outDir: string): Promise<BuiltFunction> {
  const dir = join(outDir, spec.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  const result = await build({
    entryPoints: [join(here, spec.name, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: NOT_SHIPPED,
    minify: true,
    keepNames: true, // readable stack traces in the function log
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `jifen-${spec.name}`,
        version,
        private: true,
        description: `jifen cloud function "${spec.name}" (bundled; built by npm run build:functions)`,
        main: 'index.js',
        dependencies: {},
      },
      null,
      2,
    ) + '\n',
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec.config, null, 2) + '\n');
  const code = readFileSync(outfile);
  return {
    name: spec.name,
    dir,
    bytes: statSync(outfile).size,
    gzipBytes: gzipSync(code).length,
    largest: largestInputs(result.metafile, outfile),
  };
}

export async function buildFunctions(outDir = join(root, 'dist/functions')): Promise<BuiltFunction[]> {
  const built: BuiltFunction[] = [];
  // One at a time: the machine is small and esbuild is fast enough.
  for (const spec of FUNCTIONS) built.push(await buildFunction(spec, outDir));
  return built;
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outArg = process.argv.indexOf('--out');
  const outDir = outArg > 0 ? resolve(process.argv[outArg + 1]!) : undefined;
  const built = await buildFunctions(outDir);
  for (const f of built) {
    const top = f.largest.map((l) => `${l.path} ${kib(l.bytes)}`).join(', ');
    console.log(
      `${f.name.padEnd(7)} ${kib(f.bytes).padStart(9)} (gzip ${kib(f.gzipBytes)})  ${f.dir}\n          largest: ${top}`,
    );
  }
}

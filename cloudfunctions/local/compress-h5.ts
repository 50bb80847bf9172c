/**
 * After `taro build --type h5`: a brotli (`.br`) and a gzip (`.gz`) copy
 * beside every text asset of dist/h5, made once at build time at the best
 * ratio, so the local server (h5-static.ts, serveStatic `precompressed`)
 * sends a phone a third of the bytes without compressing on each request.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|css|html|svg|json|txt)$/;
/** Below this, compression saves less than a packet. */
const MIN_BYTES = 1024;

export function compressTree(dir: string): { files: number; bytes: number; brotli: number } {
  let files = 0;
  let bytes = 0;
  let brotli = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const sub = compressTree(path);
      files += sub.files;
      bytes += sub.bytes;
      brotli += sub.brotli;
      continue;
    }
    if (!TEXT.test(name)) continue;
    const body = readFileSync(path);
    if (body.length < MIN_BYTES) continue;
    const br = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    files++;
    bytes += body.length;
    brotli += br.length;
  }
  return { files, bytes, brotli };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = resolve(process.argv[2] ?? 'dist/h5');
  const r = compressTree(dir);
  console.log(
    `compressed ${r.files} files in ${dir}: ${Math.round(r.bytes / 1024)} KB → ${Math.round(r.brotli / 1024)} KB brotli`,
  );
}

/**
 * Draws the tab bar's icons (81×81 PNG, as WeChat asks for tab icons: local
 * PNG files under 40 KB; SVG is not accepted there) into src/assets/tab/.
 * Run it again after changing a shape: `npx tsx config/tab-icons.ts`.
 * Shapes are signed-distance tests, 4×4 supersampled for smooth edges.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 81;
const SS = 4;
type Shape = (x: number, y: number) => boolean; // x, y in 0..1

const inRect = (x: number, y: number, x0: number, y0: number, x1: number, y1: number) =>
  x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** 首页: a roof and a house with a door. */
const home: Shape = (x, y) => {
  const roof = y >= 0.14 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.14) * 1.15 && Math.abs(x - 0.5) >= (y - 0.3) * 1.15;
  const body = inRect(x, y, 0.24, 0.46, 0.76, 0.86) && !inRect(x, y, 0.32, 0.46, 0.68, 0.78);
  const door = inRect(x, y, 0.44, 0.6, 0.56, 0.86);
  return roof || body || door;
};

/** 兑换: a gift box with a ribbon and a bow. */
const gift: Shape = (x, y) => {
  const lid = inRect(x, y, 0.16, 0.34, 0.84, 0.48);
  const box = inRect(x, y, 0.22, 0.48, 0.78, 0.86) && !inRect(x, y, 0.3, 0.54, 0.7, 0.8);
  const ribbon = inRect(x, y, 0.45, 0.34, 0.55, 0.86);
  const bow =
    (inCircle(x, y, 0.38, 0.25, 0.1) && !inCircle(x, y, 0.38, 0.25, 0.045)) ||
    (inCircle(x, y, 0.62, 0.25, 0.1) && !inCircle(x, y, 0.62, 0.25, 0.045));
  return lid || box || ribbon || bow;
};

/** 我的: a head and shoulders. */
const person: Shape = (x, y) => {
  const head = inCircle(x, y, 0.5, 0.32, 0.17) && !inCircle(x, y, 0.5, 0.32, 0.1);
  const shoulders =
    y <= 0.86 &&
    ((x - 0.5) / 0.34) ** 2 + ((y - 0.86) / 0.3) ** 2 <= 1 &&
    !(((x - 0.5) / 0.26) ** 2 + ((y - 0.9) / 0.24) ** 2 <= 1 && y < 0.8);
  return head || shoulders;
};

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const CRC = crcTable();
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function png(shape: Shape, [r, g, b]: [number, number, number]): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
    for (let px = 0; px < SIZE; px++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) if (shape((px + (sx + 0.5) / SS) / SIZE, (py + (sy + 0.5) / SS) / SIZE)) hits++;
      row.set([r, g, b, Math.round((255 * hits) / (SS * SS))], 1 + px * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const GREY: [number, number, number] = [0x66, 0x66, 0x66];
const RED: [number, number, number] = [0xb9, 0x1c, 0x1c];
const out = new URL('../src/assets/tab/', import.meta.url);
for (const [name, shape] of Object.entries({ home, gift, person })) {
  writeFileSync(new URL(`${name}.png`, out), png(shape, GREY));
  writeFileSync(new URL(`${name}-on.png`, out), png(shape, RED));
}
console.log('tab icons written to src/assets/tab/');

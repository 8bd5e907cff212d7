// Writes the web app icons (PNG) into static/: a brand square with a white "C" ring. Pure Node
// (zlib), so no image tool is needed; run `node scripts/icons.ts` after changing the design.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BRAND = [79, 57, 190]; // about oklch(0.48 0.21 280), the brand-600 of app.css

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `maskable`: the shape stays inside the safe zone (80 % circle) and the square is full-bleed. */
function icon(size: number, maskable: boolean): Buffer {
  const rows: Buffer[] = [];
  const c = size / 2;
  const outer = size * (maskable ? 0.28 : 0.34);
  const inner = outer * 0.58;
  const corner = maskable ? 0 : size * 0.2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      // Rounded square: outside the corner radius is transparent.
      const dx = Math.max(corner - px, px - (size - corner), 0);
      const dy = Math.max(corner - py, py - (size - corner), 0);
      const inSquare = corner === 0 || dx * dx + dy * dy <= corner * corner;
      const r = Math.hypot(px - c, py - c);
      const angle = Math.atan2(py - c, px - c);
      const ring = r <= outer && r >= inner && !(angle > -Math.PI / 4 && angle < Math.PI / 4);
      const o = 1 + x * 4;
      if (!inSquare) continue;
      const [R, G, B] = ring ? [255, 255, 255] : BRAND;
      row[o] = R!;
      row[o + 1] = G!;
      row[o + 2] = B!;
      row[o + 3] = 255;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../static/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), icon(192, false));
writeFileSync(new URL('icon-512.png', out), icon(512, false));
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, true));
writeFileSync(new URL('apple-touch-icon.png', out), icon(180, true));

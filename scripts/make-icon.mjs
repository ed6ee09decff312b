// Draws the extension icon (images/icon.png, 128×128) with no image library: a teal tile, a stack of
// container boxes and a downward arrow ("leaner"). Run: node scripts/make-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const size = 128;
const pixels = Buffer.alloc(size * size * 4);
const put = (x, y, [r, g, b, a]) => {
  if (x < 0 || y < 0 || x >= size || y >= size) return;
  const i = (y * size + x) * 4;
  const alpha = a / 255;
  pixels[i] = Math.round(r * alpha + pixels[i] * (1 - alpha));
  pixels[i + 1] = Math.round(g * alpha + pixels[i + 1] * (1 - alpha));
  pixels[i + 2] = Math.round(b * alpha + pixels[i + 2] * (1 - alpha));
  pixels[i + 3] = Math.max(pixels[i + 3], a);
};
const fill = (inside, color) => {
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (inside(x + 0.5, y + 0.5)) put(x, y, color);
};
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const teal = [13, 115, 119, 255];
const white = [255, 255, 255, 255];
const pale = [178, 235, 230, 255];
fill(roundedRect(4, 4, 124, 124, 24), teal);
// Three container boxes, narrowing upwards.
fill(roundedRect(22, 78, 106, 100, 4), white);
fill(roundedRect(32, 54, 96, 74, 4), white);
fill(roundedRect(42, 30, 86, 50, 4), white);
for (const [y0, y1, x0, x1] of [[78, 100, 22, 106], [54, 74, 32, 96], [30, 50, 42, 86]]) {
  for (let x = x0 + 10; x < x1 - 4; x += 10) fill((px, py) => px >= x && px <= x + 2 && py >= y0 + 4 && py <= y1 - 4, pale);
}
// Downward arrow on the right: the image gets smaller.
fill((x, y) => x >= 104 && x <= 112 && y >= 18 && y <= 52, white);
fill((x, y) => y >= 50 && y <= 66 && Math.abs(x - 108) <= (66 - y) * 0.75, white);

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4);
header[8] = 8; header[9] = 6; // 8-bit RGBA
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);

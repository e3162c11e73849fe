// Draws images/icon.png (128×128 RGBA) with no dependencies: four GPU nodes wired in a ring with
// one cross link (the NCCL picture) on a dark rounded square. Run: node images/draw-icon.mjs
// Shapes are signed-distance functions sampled 4×4 per pixel, so edges are anti-aliased.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;

const lerp = (a, b, t) => a + (b - a) * t;
const mix = (c1, c2, t) => c1.map((v, i) => lerp(v, c2[i], t));

function roundedRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function segment(x, y, ax, ay, bx, by) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t);
}

const nodes = [[38, 38], [90, 38], [90, 90], [38, 90]];
const ring = [[0, 1], [1, 2], [2, 3], [3, 0]];
const BG_TOP = [24, 40, 72], BG_BOTTOM = [12, 20, 40];
const LINK = [118, 185, 0]; // the green of a healthy NVLink
const CROSS = [255, 160, 40];
const NODE = [236, 242, 250];
const CHIP = [24, 40, 72];

// Returns RGBA (0..1 alpha) of one sample point, painted back to front.
function sample(x, y) {
  let rgb = [0, 0, 0], a = 0;
  const paint = (color, dist) => {
    const cover = Math.max(0, Math.min(1, 0.5 - dist)); // dist < 0 inside
    if (cover <= 0) return;
    const outA = cover + a * (1 - cover); // "over" compositing on straight (non-premultiplied) colour
    rgb = color.map((v, i) => (v * cover + rgb[i] * a * (1 - cover)) / outA);
    a = outA;
  };
  paint(mix(BG_TOP, BG_BOTTOM, y / SIZE), roundedRect(x, y, 64, 64, 62, 62, 22));
  for (const [i, j] of ring) paint(LINK, segment(x, y, ...nodes[i], ...nodes[j]) - 4.5);
  paint(CROSS, segment(x, y, ...nodes[0], ...nodes[2]) - 3.5);
  for (const [cx, cy] of nodes) {
    paint(NODE, roundedRect(x, y, cx, cy, 14, 14, 4));
    paint(CHIP, roundedRect(x, y, cx, cy, 6, 6, 1.5));
  }
  return [...rgb, a];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const [sr, sg, sb, sa] = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
      r += sr * sa; g += sg * sa; b += sb * sa; a += sa;
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    const n = SS * SS;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((a / n) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);

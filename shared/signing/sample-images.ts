/**
 * Sample signature images for the local setup and the tests, drawn in code: a blue handwritten
 * scribble and a red round seal, both PNG with a transparent background (Decree 30, Appendix I,
 * II.7.d and II.8.a). Real ones come from the organization's data.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA image (8 bits per channel, rows top to bottom) as PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function canvas(width: number, height: number) {
  const px = new Uint8Array(width * height * 4);
  const dot = (x: number, y: number, r: number, color: [number, number, number]) => {
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const xx = Math.round(x + dx);
        const yy = Math.round(y + dy);
        if (dx * dx + dy * dy > r * r || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        px.set([...color, 255], (yy * width + xx) * 4);
      }
  };
  return { px, dot };
}

/** A blue scribble, 300 × 120 px. */
export function sampleSignatureImage(): Buffer {
  const [w, h] = [300, 120];
  const { px, dot } = canvas(w, h);
  for (let t = 0; t <= 1; t += 0.0005) {
    const x = 20 + 260 * t;
    const y = 60 + 30 * Math.sin(t * 5 * Math.PI) * Math.cos(t * 2 * Math.PI) - 15 * Math.sin(t * 17);
    dot(x, y, 2, [0x1a, 0x3d, 0xb8]);
  }
  return encodePng(w, h, px);
}

/** A red round seal (two rings and a star), 240 × 240 px. */
export function sampleSealImage(): Buffer {
  const s = 240;
  const { px, dot } = canvas(s, s);
  const red: [number, number, number] = [0xd0, 0x10, 0x20];
  for (let a = 0; a < 2 * Math.PI; a += 0.002) {
    dot(s / 2 + 112 * Math.cos(a), s / 2 + 112 * Math.sin(a), 4, red);
    dot(s / 2 + 80 * Math.cos(a), s / 2 + 80 * Math.sin(a), 2, red);
  }
  for (let i = 0; i < 5; i++) {
    const a1 = -Math.PI / 2 + (i * 4 * Math.PI) / 5;
    const a2 = -Math.PI / 2 + ((i + 1) * 4 * Math.PI) / 5;
    for (let t = 0; t <= 1; t += 0.005) {
      dot(s / 2 + 50 * ((1 - t) * Math.cos(a1) + t * Math.cos(a2)), s / 2 + 50 * ((1 - t) * Math.sin(a1) + t * Math.sin(a2)), 2, red);
    }
  }
  return encodePng(s, s, px);
}

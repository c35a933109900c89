/**
 * Checks of signing material before it becomes organization data (issue 16): a signature or seal
 * image must be a PNG with transparency that the appearance can lay over the signature block; a
 * certificate chain must parse, be valid now and allow signing. Problems that make the material
 * unusable are errors; doubts a person should look at (colour, name) are warnings. The chain
 * checks are in ./chain-checks.ts (X.509 parsing: loaded only where a chain is read or stored).
 */
import { inflateSync } from 'node:zlib';

export const MAX_IMAGE_BYTES = 1024 * 1024;
/** Sane pixel sizes: big enough to print at 35–45 mm, small enough to embed in every PDF. */
const MIN_SIDE = 32;
const MAX_SIDE = 4000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type ImagePurpose = 'signature' | 'seal';

export interface PngFacts {
  width: number;
  height: number;
  colourType: number;
  bitDepth: number;
  hasAlpha: boolean;
}

export interface CheckResult<T> {
  facts?: T;
  errors: string[];
  warnings: string[];
}

interface Chunk {
  type: string;
  data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let at = 8;
  while (at + 8 <= png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + len > png.length) throw new Error('truncated');
    out.push({ type, data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
    if (type === 'IEND') break;
  }
  return out;
}

/** Width, height and transparency from the IHDR chunk (colour type 4 or 6, or a tRNS chunk). */
export function pngFacts(png: Buffer): PngFacts | undefined {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  let list: Chunk[];
  try {
    list = chunks(png);
  } catch {
    return undefined;
  }
  const ihdr = list[0];
  // A cut-off file (no image data or no end chunk) is not a PNG the appearance can draw.
  if (ihdr?.type !== 'IHDR' || ihdr.data.length !== 13) return undefined;
  if (list.at(-1)?.type !== 'IEND' || !list.some((c) => c.type === 'IDAT')) return undefined;
  const colourType = ihdr.data[9];
  return {
    width: ihdr.data.readUInt32BE(0),
    height: ihdr.data.readUInt32BE(4),
    bitDepth: ihdr.data[8],
    colourType,
    hasAlpha: colourType === 6 || colourType === 4 || list.some((c) => c.type === 'tRNS'),
  };
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/**
 * The average colour of the visible (alpha ≥ 128) pixels of an 8-bit RGB, RGBA or palette PNG,
 * without interlacing; undefined for other kinds (the colour is then not judged).
 */
export function inkColour(png: Buffer, f: PngFacts): { r: number; g: number; b: number } | undefined {
  if (f.bitDepth !== 8 || ![2, 3, 6].includes(f.colourType)) return undefined;
  const list = chunks(png);
  if (list[0].data[12] !== 0) return undefined;
  const bpp = f.colourType === 6 ? 4 : f.colourType === 2 ? 3 : 1;
  const raw = inflateSync(Buffer.concat(list.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const palette = list.find((c) => c.type === 'PLTE')?.data;
  const trns = list.find((c) => c.type === 'tRNS')?.data;
  const stride = f.width * bpp;
  let prev = Buffer.alloc(stride);
  let sum = { r: 0, g: 0, b: 0, n: 0 };
  for (let y = 0; y < f.height; y++) {
    const start = y * (stride + 1);
    const filter = raw[start];
    const row = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const add = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      row[i] = (row[i] + add) & 0xff;
    }
    for (let x = 0; x < f.width; x++) {
      let r: number;
      let g: number;
      let b: number;
      let alpha = 255;
      if (f.colourType === 3) {
        const idx = row[x];
        if (!palette) return undefined;
        [r, g, b] = [palette[idx * 3], palette[idx * 3 + 1], palette[idx * 3 + 2]];
        alpha = trns && idx < trns.length ? trns[idx] : 255;
      } else {
        [r, g, b] = [row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]];
        if (bpp === 4) alpha = row[x * bpp + 3];
      }
      if (alpha >= 128) sum = { r: sum.r + r, g: sum.g + g, b: sum.b + b, n: sum.n + 1 };
    }
    prev = row;
  }
  return sum.n ? { r: sum.r / sum.n, g: sum.g / sum.n, b: sum.b / sum.n } : undefined;
}

const LABEL: Record<ImagePurpose, string> = { signature: 'Ảnh chữ ký', seal: 'Ảnh con dấu' };

/** A signature image (blue ink) or seal image (red), as the appearance needs it. `field` names it in messages. */
export function checkImage(png: Buffer, purpose: ImagePurpose, field: string): CheckResult<PngFacts> {
  const name = `${LABEL[purpose]} (${field})`;
  if (png.length === 0) return { errors: [`${name}: tệp trống.`], warnings: [] };
  if (png.length > MAX_IMAGE_BYTES)
    return { errors: [`${name}: tệp ${Math.ceil(png.length / 1024)} KB, vượt quá giới hạn 1 MB.`], warnings: [] };
  const facts = pngFacts(png);
  if (!facts) return { errors: [`${name}: không phải tệp PNG hợp lệ.`], warnings: [] };
  const errors: string[] = [];
  const warnings: string[] = [];
  const { width, height } = facts;
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
    errors.push(`${name}: kích thước ${width}×${height} điểm ảnh không hợp lý (mỗi chiều từ ${MIN_SIDE} đến ${MAX_SIDE}).`);
  } else if (width / height > 8 || height / width > 8) {
    errors.push(`${name}: tỷ lệ ${width}×${height} quá dẹt để đặt vào khối chữ ký.`);
  }
  if (!facts.hasAlpha) errors.push(`${name}: ảnh cần nền trong suốt (PNG có kênh alpha hoặc tRNS).`);
  if (errors.length) return { facts, errors, warnings };
  let ink: ReturnType<typeof inkColour>;
  try {
    ink = inkColour(png, facts);
  } catch {
    return { facts, errors: [`${name}: dữ liệu ảnh PNG bị hỏng.`], warnings };
  }
  if (!ink) warnings.push(`${name}: không kiểm tra được màu mực (chỉ kiểm tra PNG 8 bit RGB, RGBA hoặc bảng màu).`);
  else if (purpose === 'signature' && !(ink.b > ink.r + 20 && ink.b > ink.g)) {
    warnings.push(`${name}: màu mực không phải màu xanh (Nghị định 30: chữ ký màu xanh).`);
  } else if (purpose === 'seal' && !(ink.r > ink.g + 40 && ink.r > ink.b + 40)) {
    warnings.push(`${name}: màu không phải màu đỏ (Nghị định 30: hình con dấu màu đỏ).`);
  }
  return { facts, errors, warnings };
}

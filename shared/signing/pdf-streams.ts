/**
 * Decoding of the two kinds of stream a cross-reference chain may need: cross-reference streams
 * and object streams (PDF 1.5+, what Word and most current tools write). Only FlateDecode with
 * or without a PNG/TIFF predictor is met there in practice; anything else is refused by name.
 * Output is bounded: a small file must not inflate into memory exhaustion (issue 14).
 */
import { inflateSync } from 'node:zlib';
import { SigningError } from './errors';

/** Most bytes the xref and object streams of one file may decode to, all together (a 20 MB PDF's are a few MB). */
export const MAX_DECODED_STREAM_BYTES = 64 * 1024 * 1024;

/** What is left of one file's decoding allowance: many small bombs add up like one big one. */
export interface DecodeBudget {
  left: number;
}

type Dict = Map<string, unknown>;

const unsupported = (what: string) =>
  new SigningError(
    'unsupported-pdf',
    `Tệp PDF dùng ${what} trong bảng tham chiếu: hệ thống chưa đọc được; hãy xuất lại tệp PDF (PDF/A hoặc "Lưu dưới dạng PDF").`,
    422,
  );
const broken = (what: string) => new SigningError('invalid-pdf', `Tệp PDF không đọc được (${what}): tệp hỏng hoặc không phải PDF.`, 422);

function filterNames(v: unknown): string[] {
  const nameOf = (x: unknown) => (x && typeof x === 'object' && 'name' in x ? String((x as { name: string }).name) : undefined);
  if (Array.isArray(v)) return v.map((x) => nameOf(x) ?? '?');
  const one = nameOf(v);
  return one ? [one] : [];
}

function num(d: Dict | undefined, key: string, dflt: number): number {
  const v = d?.get(key);
  return typeof v === 'number' ? v : dflt;
}

/** Undoes a PNG (10–15) or TIFF (2) predictor row by row (ISO 32000-1, 7.4.4.4). */
function unpredict(data: Buffer, parms: Dict | undefined): Buffer {
  const predictor = num(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = num(parms, 'Colors', 1);
  const bpc = num(parms, 'BitsPerComponent', 8);
  const columns = num(parms, 'Columns', 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) throw unsupported('bộ dự đoán TIFF khác 8 bit');
    const out = Buffer.from(data);
    for (let r = 0; r + rowBytes <= out.length; r += rowBytes)
      for (let i = bpp; i < rowBytes; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff;
    return out;
  }
  if (predictor < 10) throw unsupported(`bộ dự đoán ${predictor}`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = Buffer.alloc(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)];
    const src = r * (rowBytes + 1) + 1;
    const at = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const left = i >= bpp ? out[at + i - bpp] : 0;
      const up = r > 0 ? out[at - rowBytes + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[at - rowBytes + i - bpp] : 0;
      const x = data[src + i];
      let v: number;
      if (type === 0) v = x;
      else if (type === 1) v = x + left;
      else if (type === 2) v = x + up;
      else if (type === 3) v = x + ((left + up) >> 1);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw broken(`dòng dự đoán PNG loại ${type}`);
      out[at + i] = v & 0xff;
    }
  }
  return out;
}

const tooLarge = () => new SigningError('invalid-pdf', 'Tệp PDF có bảng tham chiếu giải nén quá lớn; tệp không được nhận.', 422);

/** The decoded bytes of a cross-reference or object stream, charged to the file's `budget`. */
export function decodeStream(dict: Dict, raw: Buffer, budget: DecodeBudget): Buffer {
  const filters = filterNames(dict.get('Filter'));
  if (filters.length === 0) return raw;
  if (filters.length > 1 || filters[0] !== 'FlateDecode') throw unsupported(`bộ lọc ${filters.join(', ')}`);
  if (budget.left <= 0) throw tooLarge();
  let inflated: Buffer;
  try {
    inflated = inflateSync(raw, { maxOutputLength: budget.left });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw broken('luồng nén hỏng');
  }
  budget.left -= inflated.length;
  const parms = dict.get('DecodeParms');
  return unpredict(inflated, parms instanceof Map ? (parms as Dict) : undefined);
}

export interface XrefStreamEntry {
  num: number;
  /** 0 free, 1 at a byte offset, 2 inside an object stream. */
  type: number;
  /** Offset (type 1) or the object stream's number (type 2). */
  field2: number;
  /** Generation (type 1) or the index inside the object stream (type 2). */
  field3: number;
}

/** The entries of a decoded cross-reference stream, by /W and /Index (ISO 32000-1, 7.5.8.2). */
export function xrefStreamEntries(dict: Dict, data: Buffer): XrefStreamEntry[] {
  const w = dict.get('W');
  if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => Number.isInteger(x) && x >= 0 && x <= 8))
    throw broken('/W của bảng tham chiếu');
  const [w1, w2, w3] = w as number[];
  const size = num(dict, 'Size', 0);
  const index = dict.get('Index');
  const ranges = Array.isArray(index) ? (index as number[]) : [0, size];
  if (ranges.length % 2 !== 0 || !ranges.every((x) => Number.isInteger(x) && x >= 0)) throw broken('/Index của bảng tham chiếu');
  const read = (at: number, width: number) => {
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + data[at + i];
    return v;
  };
  const rowBytes = w1 + w2 + w3;
  const entries: XrefStreamEntry[] = [];
  let at = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let k = 0; k < ranges[r + 1]; k++) {
      if (at + rowBytes > data.length) throw broken('bảng tham chiếu dạng luồng bị cắt');
      entries.push({ num: ranges[r] + k, type: w1 === 0 ? 1 : read(at, w1), field2: read(at + w1, w2), field3: read(at + w1 + w2, w3) });
      at += rowBytes;
    }
  }
  return entries;
}

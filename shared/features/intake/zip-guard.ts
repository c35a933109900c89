import { inflateRawSync } from 'node:zlib';
import { stripInvisible } from '../../format/clean-text';

/**
 * Checks an .xlsx (a zip archive) before anything expands it: a 300 KB file can hold 300 MB of
 * XML, which would kill the ingest Lambda long before the parser could say anything. The
 * central directory gives each entry's declared sizes; those are checked first, then every
 * entry is inflated with an output cap, because declared sizes can lie.
 */

export interface ZipLimits {
  /** Sum of the entries' expanded sizes. */
  maxTotalBytes: number;
  maxEntryBytes: number;
  maxEntries: number;
  /** Expanded / compressed, checked on entries larger than ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const XLSX_LIMITS: ZipLimits = {
  maxTotalBytes: 20 * 1024 * 1024,
  maxEntryBytes: 10 * 1024 * 1024,
  maxEntries: 1000,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export type ZipProblem =
  | { kind: 'notZip' }
  | { kind: 'tooManyEntries'; entries: number }
  | { kind: 'entryTooLarge'; name: string; bytes: number }
  | { kind: 'totalTooLarge'; bytes: number }
  | { kind: 'ratio'; name: string; ratio: number }
  | { kind: 'method'; name: string; method: number };

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

function readEntries(buf: Buffer): Entry[] | undefined {
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) return undefined;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      uncompressed: buf.readUInt32LE(p + 24),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Expanded size of one entry, inflating at most `cap` bytes; undefined when over the cap. */
function actualSize(buf: Buffer, e: Entry, cap: number): number | undefined | 'bad' {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC) return 'bad';
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressed);
  if (e.method === 0) return data.length;
  try {
    return inflateRawSync(data, { maxOutputLength: cap + 1 }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    return 'bad';
  }
}

/** The first reason the archive must not be expanded, or undefined when it is safe to parse. */
export function checkZip(buf: Buffer, limits: ZipLimits = XLSX_LIMITS): ZipProblem | undefined {
  const entries = readEntries(buf);
  if (!entries) return { kind: 'notZip' };
  if (entries.length > limits.maxEntries) return { kind: 'tooManyEntries', entries: entries.length };
  let total = 0;
  // Declared sizes first: refusing costs nothing.
  for (const e of entries) {
    if (e.method !== 0 && e.method !== 8) return { kind: 'method', name: e.name, method: e.method };
    if (e.uncompressed === 0xffffffff || e.uncompressed > limits.maxEntryBytes) {
      return { kind: 'entryTooLarge', name: e.name, bytes: e.uncompressed };
    }
    const ratio = e.uncompressed / Math.max(1, e.compressed);
    if (e.uncompressed > limits.ratioFloorBytes && ratio > limits.maxRatio) return { kind: 'ratio', name: e.name, ratio };
    total += e.uncompressed;
    if (total > limits.maxTotalBytes) return { kind: 'totalTooLarge', bytes: total };
  }
  // Then the truth, each entry capped by what is left of the budget.
  total = 0;
  for (const e of entries) {
    const cap = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
    const size = actualSize(buf, e, cap);
    if (size === 'bad') return { kind: 'notZip' };
    if (size === undefined) return { kind: 'entryTooLarge', name: e.name, bytes: cap + 1 };
    total += size;
    if (total > limits.maxTotalBytes) return { kind: 'totalTooLarge', bytes: total };
  }
  return undefined;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
/** An entry name is the uploader's text: shown short and without control characters. */
const shown = (name: string) => stripInvisible(name.replace(/\p{Cc}/gu, '')).slice(0, 60);

/** The refusal a division reads. */
export function zipProblemMessage(p: ZipProblem, limits: ZipLimits = XLSX_LIMITS): string {
  const lead = 'Tệp Excel bị nén bất thường';
  switch (p.kind) {
    case 'notZip':
      return 'Tệp không phải bảng tính Excel (.xlsx) đọc được; hãy lưu lại theo định dạng .xlsx.';
    case 'tooManyEntries':
      return `${lead}: có ${p.entries} thành phần, tối đa ${limits.maxEntries}. Hãy dùng đúng mẫu tải từ trang nộp báo cáo.`;
    case 'entryTooLarge':
      return `${lead}: thành phần "${shown(p.name)}" khi giải nén vượt quá ${mb(limits.maxEntryBytes)}. Hãy dùng đúng mẫu tải từ trang nộp báo cáo.`;
    case 'totalTooLarge':
      return `${lead}: khi giải nén vượt quá ${mb(limits.maxTotalBytes)}. Hãy dùng đúng mẫu tải từ trang nộp báo cáo.`;
    case 'ratio':
      return `${lead}: thành phần "${shown(p.name)}" nén gấp ${Math.round(p.ratio)} lần (tối đa ${limits.maxRatio}). Hãy dùng đúng mẫu tải từ trang nộp báo cáo.`;
    case 'method':
      return `${lead}: thành phần "${shown(p.name)}" dùng kiểu nén không được hỗ trợ. Hãy lưu lại theo định dạng .xlsx.`;
  }
}

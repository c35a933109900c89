/**
 * Just enough of PDF's object syntax to add an incremental update to a file with classic
 * cross-reference tables (what pdfkit writes): read the xref chain, read a dictionary or an
 * array object, write objects back. Streams are read only for the small appearance documents
 * pdfkit makes for us (appearance.ts). Object streams and xref streams are refused with a
 * clear message rather than half-understood.
 */
import { SigningError } from './errors';

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen = 0,
  ) {}
}
/** A literal or hex string, kept exactly as written (we never need its decoded value). */
export class PdfRaw {
  constructor(readonly src: string) {}
}
export type PdfValue = number | boolean | null | PdfName | PdfRef | PdfRaw | PdfValue[] | PdfDict;
export type PdfDict = Map<string, PdfValue>;

export interface PdfObject {
  value: PdfValue;
  /** Raw stream bytes (still encoded), when the object is a stream. */
  stream?: Buffer;
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

const malformed = (what: string) =>
  new SigningError('invalid-pdf', `Tệp PDF không đọc được (${what}): tệp hỏng hoặc không phải PDF do hệ thống tạo.`, 422);

class Lexer {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  skipWs(): void {
    for (;;) {
      while (this.pos < this.buf.length && WS.has(this.buf[this.pos])) this.pos++;
      if (this.buf[this.pos] !== 0x25) return; // %
      while (this.pos < this.buf.length && this.buf[this.pos] !== 0x0a && this.buf[this.pos] !== 0x0d) this.pos++;
    }
  }

  peek(s: string): boolean {
    this.skipWs();
    return this.buf.toString('latin1', this.pos, this.pos + s.length) === s;
  }

  regular(): string {
    const start = this.pos;
    while (this.pos < this.buf.length && !WS.has(this.buf[this.pos]) && !DELIM.has(this.buf[this.pos])) this.pos++;
    return this.buf.toString('latin1', start, this.pos);
  }

  value(): PdfValue {
    this.skipWs();
    if (this.pos >= this.buf.length) throw malformed('hết tệp giữa chừng');
    const c = String.fromCharCode(this.buf[this.pos]);
    if (c === '/') {
      this.pos++;
      return new PdfName(this.regular());
    }
    if (c === '<' && this.buf[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const dict: PdfDict = new Map();
      while (!this.peek('>>')) {
        const key = this.value();
        if (!(key instanceof PdfName)) throw malformed('khóa từ điển');
        dict.set(key.name, this.value());
      }
      this.pos += 2;
      return dict;
    }
    if (c === '<') {
      const end = this.buf.indexOf(0x3e, this.pos);
      if (end < 0) throw malformed('chuỗi hex');
      const src = this.buf.toString('latin1', this.pos, end + 1);
      this.pos = end + 1;
      return new PdfRaw(src);
    }
    if (c === '(') return new PdfRaw(this.literal());
    if (c === '[') {
      this.pos++;
      const arr: PdfValue[] = [];
      while (!this.peek(']')) arr.push(this.value());
      this.pos++;
      return arr;
    }
    const word = this.regular();
    if (word === '') throw malformed(`ký tự lạ "${c}"`);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    const n = Number(word);
    if (Number.isNaN(n)) throw malformed(`từ lạ "${word.slice(0, 20)}"`);
    // "12 0 R" is a reference: look ahead without consuming when it is not.
    if (Number.isInteger(n)) {
      const save = this.pos;
      this.skipWs();
      const gen = this.regular();
      this.skipWs();
      if (/^\d+$/.test(gen) && this.buf[this.pos] === 0x52 && !this.isRegular(this.pos + 1)) {
        this.pos++;
        return new PdfRef(n, Number(gen));
      }
      this.pos = save;
    }
    return n;
  }

  private isRegular(i: number): boolean {
    return i < this.buf.length && !WS.has(this.buf[i]) && !DELIM.has(this.buf[i]);
  }

  private literal(): string {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.buf.length; this.pos++) {
      const b = this.buf[this.pos];
      if (b === 0x5c) this.pos++;
      else if (b === 0x28) depth++;
      else if (b === 0x29 && --depth === 0) {
        this.pos++;
        return this.buf.toString('latin1', start, this.pos);
      }
    }
    throw malformed('chuỗi chưa đóng');
  }
}

export function serialize(v: PdfValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/\.?0+$/, '');
  if (typeof v === 'boolean') return String(v);
  if (v instanceof PdfName) return `/${v.name}`;
  if (v instanceof PdfRef) return `${v.num} ${v.gen} R`;
  if (v instanceof PdfRaw) return v.src;
  if (Array.isArray(v)) return `[${v.map(serialize).join(' ')}]`;
  return `<<${[...v].map(([k, x]) => `/${k} ${serialize(x)}`).join(' ')}>>`;
}

/** A PDF file as the cross-reference chain describes it (latest revision wins). */
export class PdfFile {
  readonly offsets = new Map<number, { offset: number; gen: number }>();
  readonly trailer: PdfDict;
  readonly startxref: number;
  readonly size: number;
  /** Offsets of the xref sections, newest first: one per revision. */
  readonly sections: number[] = [];

  constructor(readonly buf: Buffer) {
    const tail = buf.toString('latin1', Math.max(0, buf.length - 1024));
    const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!m) throw malformed('thiếu startxref/%%EOF ở cuối tệp');
    this.startxref = Number(m[1]);
    let trailer: PdfDict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = this.startxref; at !== undefined; ) {
      if (seen.has(at) || at >= buf.length) throw malformed('chuỗi bảng tham chiếu vòng lặp hoặc sai vị trí');
      seen.add(at);
      this.sections.push(at);
      const part = this.readXref(at);
      trailer ??= part;
      const prev = part.get('Prev');
      at = typeof prev === 'number' ? prev : undefined;
    }
    if (!trailer) throw malformed('thiếu trailer');
    this.trailer = trailer;
    const size = trailer.get('Size');
    this.size = typeof size === 'number' ? size : 0;
  }

  private readXref(at: number): PdfDict {
    const lx = new Lexer(this.buf, at);
    if (!lx.peek('xref')) {
      throw new SigningError(
        'unsupported-pdf',
        'Tệp PDF dùng bảng tham chiếu dạng luồng (xref stream): chưa hỗ trợ ký tăng dần trên loại tệp này.',
        422,
      );
    }
    lx.pos += 4;
    for (;;) {
      lx.skipWs();
      if (lx.peek('trailer')) break;
      const start = Number(lx.regular());
      lx.skipWs();
      const count = Number(lx.regular());
      if (!Number.isInteger(start) || !Number.isInteger(count)) throw malformed('bảng tham chiếu');
      for (let i = 0; i < count; i++) {
        lx.skipWs();
        const off = Number(lx.regular());
        lx.skipWs();
        const gen = Number(lx.regular());
        lx.skipWs();
        const kind = lx.regular();
        const num = start + i;
        // Older sections come later in the chain: the first entry seen is the current one.
        if (!this.offsets.has(num)) this.offsets.set(num, kind === 'n' ? { offset: off, gen } : { offset: -1, gen });
      }
    }
    lx.pos += 7;
    const dict = lx.value();
    if (!(dict instanceof Map)) throw malformed('trailer');
    return dict;
  }

  get(ref: PdfValue): PdfObject {
    if (!(ref instanceof PdfRef)) return { value: ref };
    const entry = this.offsets.get(ref.num);
    if (!entry || entry.offset < 0) throw malformed(`đối tượng ${ref.num} không có trong bảng tham chiếu`);
    return readObjectAt(this.buf, entry.offset, ref.num);
  }

  /** The value, following one indirect reference. */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return v instanceof PdfRef ? this.get(v).value : v;
  }

  dict(v: PdfValue | undefined, what: string): PdfDict {
    const d = this.resolve(v);
    if (!(d instanceof Map)) throw malformed(what);
    return d;
  }
}

export function readObjectAt(buf: Buffer, offset: number, expect?: number): PdfObject {
  const lx = new Lexer(buf, offset);
  lx.skipWs();
  const head = /^(\d+)\s+(\d+)\s+obj/.exec(buf.toString('latin1', lx.pos, lx.pos + 32));
  if (!head || (expect !== undefined && Number(head[1]) !== expect)) throw malformed(`đối tượng ${expect ?? ''} sai vị trí`);
  lx.pos += head[0].length;
  const value = lx.value();
  if (!(value instanceof Map) || !lx.peek('stream')) return { value };
  lx.pos += 6;
  if (buf[lx.pos] === 0x0d) lx.pos++;
  if (buf[lx.pos] === 0x0a) lx.pos++;
  const len = value.get('Length');
  const end = typeof len === 'number' ? lx.pos + len : buf.indexOf('endstream', lx.pos, 'latin1');
  if (end < 0 || end > buf.length) throw malformed('luồng dữ liệu');
  return { value, stream: buf.subarray(lx.pos, end) };
}

/** Every object of a small, single-revision file (pdfkit output), by number. */
export function readAllObjects(buf: Buffer): { file: PdfFile; objects: Map<number, PdfObject> } {
  const file = new PdfFile(buf);
  const objects = new Map<number, PdfObject>();
  for (const [num, e] of file.offsets) if (e.offset >= 0) objects.set(num, readObjectAt(buf, e.offset, num));
  return { file, objects };
}

export function name(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

/**
 * Just enough of PDF's object syntax to add an incremental update to a file: read the
 * cross-reference chain (classic tables, as pdfkit writes, and cross-reference and object streams,
 * as Word and most current tools write), read a dictionary or an array object, write objects
 * back. Other streams are read only for the small appearance documents pdfkit makes for us
 * (appearance.ts). Encrypted files are refused with a clear message rather than half-understood.
 */
import { SigningError } from './errors';
import { type DecodeBudget, decodeStream, MAX_DECODED_STREAM_BYTES, xrefStreamEntries } from './pdf-streams';

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

/** Where the cross-reference chain puts an object: at a byte offset (-1: free), or inside an object stream. */
export type XrefEntry = { offset: number; gen: number } | { stream: number; index: number };

/** A decoded object stream: its objects' positions in `data`. */
interface ObjectStream {
  data: Buffer;
  positions: Map<number, number>;
  order: number[];
}

/** A PDF file as the cross-reference chain describes it (latest revision wins). */
export class PdfFile {
  readonly offsets = new Map<number, XrefEntry>();
  readonly trailer: PdfDict;
  readonly startxref: number;
  readonly size: number;
  /** Offsets of the xref sections, newest first: one per revision. */
  readonly sections: number[] = [];
  /** The newest section is a cross-reference stream: an update continues with one (ISO 32000-1, 7.5.8.4). */
  readonly usesXrefStreams: boolean;
  private readonly objectStreams = new Map<number, ObjectStream>();
  private readonly budget: DecodeBudget = { left: MAX_DECODED_STREAM_BYTES };

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
      const part: PdfDict = new Lexer(buf, at).peek('xref') ? this.readXref(at) : this.readXrefStream(at);
      trailer ??= part;
      // A hybrid file's table section names a stream with the objects only newer readers see.
      const hidden = part.get('XRefStm');
      if (typeof hidden === 'number' && !seen.has(hidden) && hidden < buf.length) this.readXrefStream(hidden);
      const prev: PdfValue | undefined = part.get('Prev');
      at = typeof prev === 'number' ? prev : undefined;
    }
    if (!trailer) throw malformed('thiếu trailer');
    if (trailer.has('Encrypt')) {
      throw new SigningError(
        'unsupported-pdf',
        'Tệp PDF được mã hóa hoặc đặt mật khẩu: không ký số được; hãy gỡ mật khẩu rồi xuất lại tệp.',
        422,
      );
    }
    this.trailer = trailer;
    this.usesXrefStreams = !new Lexer(buf, this.startxref).peek('xref');
    const size = trailer.get('Size');
    this.size = typeof size === 'number' ? size : 0;
  }

  private note(num: number, entry: XrefEntry) {
    // Older sections come later in the chain: the first entry seen is the current one.
    if (!this.offsets.has(num)) this.offsets.set(num, entry);
  }

  private readXref(at: number): PdfDict {
    const lx = new Lexer(this.buf, at);
    lx.peek('xref');
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
        this.note(start + i, kind === 'n' ? { offset: off, gen } : { offset: -1, gen });
      }
    }
    lx.pos += 7;
    const dict = lx.value();
    if (!(dict instanceof Map)) throw malformed('trailer');
    return dict;
  }

  private readXrefStream(at: number): PdfDict {
    const obj = readObjectAt(this.buf, at);
    if (!(obj.value instanceof Map) || !obj.stream || name(obj.value.get('Type')) !== 'XRef') throw malformed('bảng tham chiếu');
    for (const e of xrefStreamEntries(obj.value, decodeStream(obj.value, obj.stream, this.budget))) {
      this.note(e.num, e.type === 2 ? { stream: e.field2, index: e.field3 } : { offset: e.type === 1 ? e.field2 : -1, gen: e.field3 });
    }
    return obj.value;
  }

  get(ref: PdfValue): PdfObject {
    if (!(ref instanceof PdfRef)) return { value: ref };
    const entry = this.offsets.get(ref.num);
    if (entry && 'stream' in entry) return { value: this.fromObjectStream(entry.stream, entry.index, ref.num) };
    if (!entry || entry.offset < 0) throw malformed(`đối tượng ${ref.num} không có trong bảng tham chiếu`);
    const obj = readObjectAt(this.buf, entry.offset, ref.num);
    // A stream's /Length may itself be an indirect object (Word and others write it so).
    const len = obj.value instanceof Map ? obj.value.get('Length') : undefined;
    if (obj.stream && len instanceof PdfRef && len.num !== ref.num) {
      const n = this.get(len).value;
      const start = obj.stream.byteOffset - this.buf.byteOffset;
      if (typeof n === 'number' && n >= 0 && start + n <= this.buf.length)
        return { value: obj.value, stream: this.buf.subarray(start, start + n) };
    }
    return obj;
  }

  private fromObjectStream(streamNum: number, index: number, num: number): PdfValue {
    let os = this.objectStreams.get(streamNum);
    if (!os) {
      const holder = this.offsets.get(streamNum);
      if (!holder || 'stream' in holder) throw malformed(`luồng đối tượng ${streamNum}`);
      const obj = this.get(new PdfRef(streamNum));
      if (!(obj.value instanceof Map) || !obj.stream || name(obj.value.get('Type')) !== 'ObjStm')
        throw malformed(`luồng đối tượng ${streamNum}`);
      const data = decodeStream(obj.value, obj.stream, this.budget);
      const n = obj.value.get('N');
      const first = obj.value.get('First');
      if (typeof n !== 'number' || typeof first !== 'number' || first > data.length) throw malformed(`luồng đối tượng ${streamNum}`);
      const lx = new Lexer(data, 0);
      const positions = new Map<number, number>();
      const order: number[] = [];
      for (let i = 0; i < n; i++) {
        lx.skipWs();
        const objNum = Number(lx.regular());
        lx.skipWs();
        const off = Number(lx.regular());
        if (!Number.isInteger(objNum) || !Number.isInteger(off)) throw malformed(`đầu luồng đối tượng ${streamNum}`);
        positions.set(objNum, first + off);
        order.push(objNum);
      }
      os = { data, positions, order };
      this.objectStreams.set(streamNum, os);
    }
    const at = os.positions.get(num) ?? (os.order[index] === num ? os.positions.get(os.order[index]) : undefined);
    if (at === undefined || at >= os.data.length) throw malformed(`đối tượng ${num} không có trong luồng đối tượng ${streamNum}`);
    return new Lexer(os.data, at).value();
  }

  /** Numbers of the objects in use, whatever section or stream holds them. */
  inUse(): number[] {
    return [...this.offsets].filter(([, e]) => 'stream' in e || e.offset >= 0).map(([n]) => n);
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
  for (const num of file.inUse()) objects.set(num, file.get(new PdfRef(num)));
  return { file, objects };
}

export function name(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

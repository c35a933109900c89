/**
 * Adds a signature field to a PDF as an incremental update: the earlier bytes are kept as they
 * are (so earlier signatures stay valid), new and changed objects are appended with their own
 * xref section pointing back (/Prev) at the previous one. The signature value is a zero-filled
 * /Contents placeholder whose position gives the ByteRange.
 */
import { SigningError } from './errors';
import { name, type PdfDict, PdfFile, PdfName, PdfRaw, PdfRef, type PdfValue, readAllObjects, serialize } from './pdf-objects';

export interface PageInfo {
  ref: PdfRef;
  dict: PdfDict;
  /** [x1 y1 x2 y2] */
  mediaBox: number[];
}

export interface FieldSpec {
  pageIndex: number;
  /** Widget rectangle [x1 y1 x2 y2] in points. */
  rect: number[];
  /** One-page PDF (pdfkit) whose page becomes the appearance. */
  appearance: Buffer;
  fieldName: string;
  /** Signature dictionary entries besides Type/Filter/SubFilter/ByteRange/Contents. */
  info: { name: string; reason: string; signingTime: Date };
  contentsBytes: number;
}

export interface PlaceholderPdf {
  pdf: Buffer;
  byteRange: [number, number, number, number];
}

/** A PDF text string in UTF-16BE with BOM, as hex (safe for any Vietnamese text). */
export function pdfText(s: string): PdfRaw {
  const be = Buffer.from(s.normalize('NFC'), 'utf16le').swap16();
  return new PdfRaw(`<FEFF${be.toString('hex').toUpperCase()}>`);
}

/** D:YYYYMMDDHHmmSS+07'00' — the PDF date of an instant in Vietnam time. */
export function pdfDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `D:${v.slice(0, 4)}${v.slice(5, 7)}${v.slice(8, 10)}${v.slice(11, 13)}${v.slice(14, 16)}${v.slice(17, 19)}+07'00'`;
}

export function pages(file: PdfFile): PageInfo[] {
  const root = file.dict(file.trailer.get('Root'), 'danh mục gốc');
  const out: PageInfo[] = [];
  const walk = (ref: PdfValue | undefined, inherited: number[] | undefined, depth: number) => {
    if (!(ref instanceof PdfRef) || depth > 32) throw new SigningError('invalid-pdf', 'Cây trang của tệp PDF không hợp lệ.', 422);
    const node = file.dict(ref, 'trang');
    const box = file.resolve(node.get('MediaBox'));
    const mediaBox = Array.isArray(box) && box.every((n) => typeof n === 'number') ? (box as number[]) : inherited;
    if (name(node.get('Type')) === 'Pages') {
      const kids = file.resolve(node.get('Kids'));
      for (const k of Array.isArray(kids) ? kids : []) walk(k, mediaBox, depth + 1);
    } else {
      out.push({ ref, dict: node, mediaBox: mediaBox ?? [0, 0, 595.28, 841.89] });
    }
  };
  walk(root.get('Pages'), undefined, 0);
  return out;
}

/** Names of the fields already in the form, so a new one gets a unique name. */
export function fieldNames(file: PdfFile): string[] {
  const root = file.dict(file.trailer.get('Root'), 'danh mục gốc');
  const form = file.resolve(root.get('AcroForm'));
  if (!(form instanceof Map)) return [];
  const fields = file.resolve(form.get('Fields'));
  return (Array.isArray(fields) ? fields : []).map((f) => {
    const t = file.resolve(f);
    return t instanceof Map && t.get('T') instanceof PdfRaw ? (t.get('T') as PdfRaw).src : '';
  });
}

class Appender {
  readonly objects = new Map<number, Buffer>();
  next: number;
  constructor(size: number) {
    this.next = size;
  }
  alloc(): PdfRef {
    return new PdfRef(this.next++);
  }
  put(ref: PdfRef, value: PdfValue, stream?: Buffer): void {
    const head = `${ref.num} ${ref.gen} obj\n${serialize(value)}\n`;
    const body = stream
      ? Buffer.concat([Buffer.from(`${head}stream\n`, 'latin1'), stream, Buffer.from('\nendstream\nendobj\n')])
      : Buffer.from(`${head}endobj\n`, 'latin1');
    this.objects.set(ref.num, body);
  }
}

/** Copies the single page of `appearance` into `out` as a Form XObject; returns its reference. */
function importAppearance(out: Appender, appearance: Buffer, width: number, height: number): PdfRef {
  const { file, objects } = readAllObjects(appearance);
  const page = pages(file)[0];
  const map = new Map<number, PdfRef>();
  const copy = (v: PdfValue): PdfValue => {
    if (v instanceof PdfRef) {
      let target = map.get(v.num);
      if (!target) {
        target = out.alloc();
        map.set(v.num, target);
        const obj = objects.get(v.num);
        if (!obj) throw new SigningError('invalid-pdf', 'Hình chữ ký thiếu đối tượng.', 500);
        out.put(target, copy(obj.value), obj.stream);
      }
      return target;
    }
    if (Array.isArray(v)) return v.map(copy);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copy(x)]));
    return v;
  };
  const resources = copy(page.dict.get('Resources') ?? new Map());
  const contents = file.resolve(page.dict.get('Contents'));
  const content = page.dict.get('Contents') instanceof PdfRef ? objects.get((page.dict.get('Contents') as PdfRef).num) : undefined;
  if (!content?.stream || !(content.value instanceof Map) || Array.isArray(contents)) {
    throw new SigningError('invalid-pdf', 'Hình chữ ký không có nội dung.', 500);
  }
  const form: PdfDict = new Map<string, PdfValue>([
    ['Type', new PdfName('XObject')],
    ['Subtype', new PdfName('Form')],
    ['BBox', [0, 0, width, height]],
    ['Resources', resources],
    ['Length', content.stream.length],
  ]);
  const filter = content.value.get('Filter');
  if (filter) form.set('Filter', filter);
  const ref = out.alloc();
  out.put(ref, form, content.stream);
  return ref;
}

const BR_WIDTH = 10;
const BR_PLACEHOLDER = `/ByteRange [0 ${'0'.repeat(BR_WIDTH)} ${'0'.repeat(BR_WIDTH)} ${'0'.repeat(BR_WIDTH)}]`;

export function addSignatureField(pdf: Buffer, spec: FieldSpec): PlaceholderPdf {
  const file = new PdfFile(pdf);
  const all = pages(file);
  const page = all[spec.pageIndex];
  if (!page) throw new SigningError('invalid-options', `Trang ${spec.pageIndex + 1} không có trong tệp (tệp có ${all.length} trang).`);
  const out = new Appender(Math.max(file.size, ...[...file.offsets.keys()].map((n) => n + 1)));
  const [x1, y1, x2, y2] = spec.rect;
  const formRef = importAppearance(out, spec.appearance, x2 - x1, y2 - y1);

  const sigRef = out.alloc();
  const sigPlaceholderHead = new Map<string, PdfValue>([
    ['Type', new PdfName('Sig')],
    ['Filter', new PdfName('Adobe.PPKLite')],
    ['SubFilter', new PdfName('ETSI.CAdES.detached')],
  ]);
  const sigTail = new Map<string, PdfValue>([
    ['M', new PdfRaw(`(${pdfDate(spec.info.signingTime)})`)],
    ['Name', pdfText(spec.info.name)],
    ['Reason', pdfText(spec.info.reason)],
  ]);
  const sigText = `${serialize(sigPlaceholderHead).slice(0, -2)} ${BR_PLACEHOLDER} /Contents <${'0'.repeat(spec.contentsBytes * 2)}> ${serialize(sigTail).slice(2)}`;
  out.objects.set(sigRef.num, Buffer.from(`${sigRef.num} 0 obj\n${sigText}\nendobj\n`, 'latin1'));

  const widgetRef = out.alloc();
  out.put(
    widgetRef,
    new Map<string, PdfValue>([
      ['Type', new PdfName('Annot')],
      ['Subtype', new PdfName('Widget')],
      ['FT', new PdfName('Sig')],
      ['T', pdfText(spec.fieldName)],
      ['V', sigRef],
      ['F', 132], // Print + Locked
      ['P', page.ref],
      ['Rect', spec.rect],
      ['AP', new Map([['N', formRef]])],
    ]),
  );

  // The page lists the widget among its annotations.
  const annots = page.dict.get('Annots');
  if (annots instanceof PdfRef) {
    const arr = file.resolve(annots);
    out.put(annots, [...(Array.isArray(arr) ? arr : []), widgetRef]);
  } else {
    const pageDict = new Map(page.dict);
    pageDict.set('Annots', [...(Array.isArray(annots) ? annots : []), widgetRef]);
    out.put(page.ref, pageDict);
  }

  // The document's form lists the field; SigFlags 3: signatures exist, append only.
  const rootRef = file.trailer.get('Root') as PdfRef;
  const root = new Map(file.dict(rootRef, 'danh mục gốc'));
  const formValue = root.get('AcroForm');
  const form = new Map(formValue ? file.dict(formValue, 'biểu mẫu') : []);
  const fields = form.get('Fields');
  if (fields instanceof PdfRef) {
    const arr = file.resolve(fields);
    out.put(fields, [...(Array.isArray(arr) ? arr : []), widgetRef]);
  } else {
    form.set('Fields', [...(Array.isArray(fields) ? fields : []), widgetRef]);
  }
  form.set('SigFlags', 3);
  if (formValue instanceof PdfRef) {
    out.put(formValue, form);
  } else {
    const formRef2 = out.alloc();
    out.put(formRef2, form);
    root.set('AcroForm', formRef2);
    out.put(rootRef, root);
  }
  return writeUpdate(pdf, file, out);
}

function writeUpdate(pdf: Buffer, file: PdfFile, out: Appender): PlaceholderPdf {
  const parts: Buffer[] = [pdf];
  let length = pdf.length;
  if (pdf[pdf.length - 1] !== 0x0a) {
    parts.push(Buffer.from('\n'));
    length++;
  }
  const nums = [...out.objects.keys()].sort((a, b) => a - b);
  const offsets = new Map<number, number>();
  for (const n of nums) {
    offsets.set(n, length);
    const body = out.objects.get(n) as Buffer;
    parts.push(body);
    length += body.length;
  }
  const xrefAt = length;
  const trailer = new Map<string, PdfValue>([['Root', file.trailer.get('Root') as PdfValue]]);
  for (const key of ['Info', 'ID']) if (file.trailer.has(key)) trailer.set(key, file.trailer.get(key) as PdfValue);
  trailer.set('Prev', file.startxref);
  if (file.usesXrefStreams) {
    parts.push(xrefStreamSection(nums, offsets, xrefAt, out.next, file.size, trailer));
  } else {
    let xref = 'xref\n';
    for (const [first, count] of runs(nums)) {
      xref += `${first} ${count}\n`;
      for (let k = first; k < first + count; k++) xref += `${String(offsets.get(k)).padStart(10, '0')} 00000 n \n`;
    }
    trailer.set('Size', Math.max(file.size, out.next));
    parts.push(Buffer.from(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  }
  const result = Buffer.concat(parts);

  // Fill the ByteRange: everything but the /Contents hex string, which starts right after it.
  const brAt = result.indexOf(BR_PLACEHOLDER, pdf.length, 'latin1');
  const contentsStart = result.indexOf('<', brAt + BR_PLACEHOLDER.length, 'latin1');
  const contentsEnd = result.indexOf('>', contentsStart, 'latin1') + 1;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, result.length - contentsEnd];
  const filled = `/ByteRange [0 ${byteRange.slice(1).join(' ')}]`.padEnd(BR_PLACEHOLDER.length, ' ');
  result.write(filled, brAt, 'latin1');
  return { pdf: result, byteRange };
}

/** Consecutive object numbers as [first, count] runs (one xref subsection each). */
function runs(nums: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    out.push([nums[i], j - i + 1]);
    i = j + 1;
  }
  return out;
}

/**
 * The update's cross-reference section as an uncompressed cross-reference stream, for a file
 * whose chain already uses them: the stream is an object of the update and lists itself.
 */
function xrefStreamSection(
  nums: number[],
  offsets: Map<number, number>,
  xrefAt: number,
  next: number,
  size: number,
  trailer: Map<string, PdfValue>,
): Buffer {
  const self = next;
  const all = [...nums, self];
  const rows = Buffer.alloc(all.length * 7);
  all.forEach((n, i) => {
    rows[i * 7] = 1;
    rows.writeUInt32BE(n === self ? xrefAt : (offsets.get(n) as number), i * 7 + 1);
    rows.writeUInt16BE(0, i * 7 + 5);
  });
  const dict = new Map<string, PdfValue>([
    ['Type', new PdfName('XRef')],
    ['Size', Math.max(size, self + 1)],
    ['W', [1, 4, 2]],
    ['Index', runs(all).flat()],
    ...trailer,
    ['Length', rows.length],
  ]);
  return Buffer.concat([
    Buffer.from(`${self} 0 obj\n${serialize(dict)}\nstream\n`, 'latin1'),
    rows,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
}

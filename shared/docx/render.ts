/**
 * Renders an aggregated report as the official Vietnamese document (.docx) laid out per
 * Decree 30/2020/NĐ-CP, Appendix I: A4, Times New Roman, national header, numbered sections,
 * tables, "Nơi nhận" and signature block. Pure: no I/O besides building the buffer.
 */

import { randomBytes } from 'node:crypto';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  type IBorderOptions,
  type ISectionOptions,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import type { Organization } from '../config/schema';
import type { AggregatedReport } from '../domain/report';
import type { Block, ReportTemplate, Section } from '../domain/template';
import { cleanText, fillPlaceholders, formatDateLine, formatDocumentNumber, padTwo } from '../format/vi';
import { type AlignCode, tableXml } from './table-xml';

export interface ApprovalRecord {
  role: string;
  name: string;
  decidedAt: string;
}

export interface RenderInput {
  template: ReportTemplate;
  report: AggregatedReport;
  organization: Organization;
  mode: 'draft' | 'final';
  version: number;
  /** Document number, assigned at release; required in final mode. */
  number?: number;
  /** Issue date, required in final mode. */
  issuedAt?: Date;
  /** Kept in the file's custom properties only: the official body stays clean. */
  approvals?: ApprovalRecord[];
  /** Called for each problem worth a compiler's attention (unknown placeholder, missing table). */
  onWarning?: (message: string) => void;
}

// ---------------------------------------------------------------------------------------------
// Page geometry (twips; 1 mm = 56.6929 twips). Margins sit inside Decree 30's ranges.
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 850, header: 567, footer: 567 };
const PORTRAIT_WIDTH = A4.width - MARGIN.left - MARGIN.right; // 9355
const LANDSCAPE_WIDTH = A4.height - MARGIN.left - MARGIN.right; // 14287

const FONT_NAME = 'Times New Roman';
/** All four slots, so Word never falls back to a theme font for any script. */
const FONT = { ascii: FONT_NAME, hAnsi: FONT_NAME, eastAsia: FONT_NAME, cs: FONT_NAME };

// Sizes in half-points.
const PT = (pt: number) => pt * 2;
const BODY_SIZE = PT(14);
const TABLE_SIZE = PT(12);
/** Wide tables (more than 8 columns) drop to 11 pt. */
const SMALL_TABLE_SIZE = PT(11);

const FIRST_LINE_INDENT = 720; // 1.27 cm
const BODY_LINE = 288; // 1.2 lines
const AFTER_6PT = 120;

const RED = 'C00000';
const RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };
const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs: every run goes through `run` so font slots and cleaning are never missed.

interface RunStyle {
  size?: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  border?: IBorderOptions;
}

function run(text: string, style: RunStyle = {}): TextRun {
  // Size, bold and alignment come from the paragraph style unless a run differs: fewer
  // properties per run keeps 500-division reports fast (see test/bench/run.ts).
  return new TextRun({
    text: cleanText(text),
    font: FONT,
    size: style.size,
    bold: style.bold,
    italics: style.italics,
    color: style.color,
    border: style.border,
  });
}

// Paragraph styles, defined once in styles.xml.
const S = {
  plain: 'BcPlain',
  body: 'BcBody',
  heading: 'BcHeading',
} as const;

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
const ALIGN_CODE: Record<AlignCode, Align> = { L: AlignmentType.LEFT, C: AlignmentType.CENTER, R: AlignmentType.RIGHT };

/** Table paragraph style by size (half-points), alignment and weight, e.g. "BcCell24RB". */
function cellStyle(size: number, align: AlignCode, bold = false): string {
  return `BcCell${size}${align}${bold ? 'B' : ''}`;
}

function paragraphStyles() {
  const cells = [TABLE_SIZE, SMALL_TABLE_SIZE].flatMap((size) =>
    (Object.keys(ALIGN_CODE) as AlignCode[]).flatMap((a) =>
      [false, true].map((bold) => ({
        id: cellStyle(size, a, bold),
        name: `Báo cáo - ô bảng ${size / 2}${a}${bold ? ' đậm' : ''}`,
        basedOn: S.plain,
        run: { font: FONT, size, bold },
        paragraph: { alignment: ALIGN_CODE[a] },
      })),
    ),
  );
  return [
    {
      id: S.plain,
      name: 'Báo cáo - thường',
      basedOn: 'Normal',
      run: { font: FONT, size: BODY_SIZE },
      paragraph: { spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } },
    },
    {
      id: S.body,
      name: 'Báo cáo - nội dung',
      basedOn: S.plain,
      run: { font: FONT, size: BODY_SIZE },
      paragraph: {
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: FIRST_LINE_INDENT },
        spacing: { before: 0, after: AFTER_6PT, line: BODY_LINE, lineRule: LineRuleType.AUTO },
      },
    },
    {
      id: S.heading,
      name: 'Báo cáo - đề mục',
      basedOn: S.body,
      next: S.body,
      run: { font: FONT, size: BODY_SIZE, bold: true },
      paragraph: { keepNext: true, keepLines: true },
    },
    ...cells,
  ];
}

function para(
  children: TextRun[],
  opts: {
    style?: string;
    align?: Align;
    /** Size of the paragraph mark: sets the height of an empty line. */
    size?: number;
    before?: number;
    after?: number;
    line?: number;
    left?: number;
    right?: number;
    keepNext?: boolean;
    borderTop?: IBorderOptions;
  } = {},
): Paragraph {
  const spaced = opts.before !== undefined || opts.after !== undefined || opts.line !== undefined;
  const indented = opts.left !== undefined || opts.right !== undefined;
  return new Paragraph({
    style: opts.style ?? S.plain,
    children,
    alignment: opts.align,
    spacing: spaced ? { before: opts.before ?? 0, after: opts.after ?? 0, line: opts.line ?? 240, lineRule: LineRuleType.AUTO } : undefined,
    indent: indented ? { left: opts.left ?? 0, right: opts.right ?? 0 } : undefined,
    keepNext: opts.keepNext,
    border: opts.borderTop ? { top: opts.borderTop } : undefined,
    run: opts.size !== undefined ? { font: FONT, size: opts.size } : undefined,
  });
}

function bodyPara(text: string, opts: { bold?: boolean; italics?: boolean; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    style: opts.bold ? S.heading : S.body,
    keepNext: opts.keepNext || undefined,
    children: [run(text, { italics: opts.italics })],
  });
}

/** A short horizontal rule: an empty paragraph whose top border is narrowed by its indents. */
function rule(width: number, containerWidth: number, before = 0): Paragraph {
  const side = Math.max(0, Math.round((containerWidth - width) / 2));
  return para([], { align: AlignmentType.CENTER, size: PT(2), left: side, right: side, before, borderTop: RULE });
}

function centred(text: string, style: RunStyle & { before?: number; after?: number; keepNext?: boolean } = {}): Paragraph {
  return para([run(text, style)], {
    align: AlignmentType.CENTER,
    size: style.size,
    before: style.before,
    after: style.after,
    keepNext: style.keepNext,
  });
}

// ---------------------------------------------------------------------------------------------
// Text with placeholders, bullets and section numbers.

type BulletStyle = 'body' | 'dash' | 'plus';

const DASH = /^[-–—•]\s+/;
const PLUS = /^\+\s+/;

/**
 * Splits submitted or template text into paragraphs. Lines that already start with "-" or "+"
 * keep their own marker (a division may nest "+" items under a "-" item, as the seed does);
 * the first unmarked line takes the block's style, later unmarked lines are plain paragraphs.
 */
/** keepNext: true keeps the last paragraph with what follows, 'all' keeps every one. */
function textParagraphs(text: string, style: BulletStyle, keepNext: boolean | 'all' = false): Paragraph[] {
  const lines = cleanText(text)
    .split(/\r\n|\r|\n/)
    // Collapse runs of ordinary whitespace only: NBSP (as in "98,95 %") must survive.
    .map((l) => l.replace(/[ \t\f\v\u2000-\u200a\u3000]+/g, ' ').trim())
    .filter((l) => l.length > 0);
  return lines.map((line, i) => {
    let marker: BulletStyle = i === 0 ? style : 'body';
    let content = line;
    if (DASH.test(line)) {
      marker = 'dash';
      content = line.replace(DASH, '');
    } else if (PLUS.test(line)) {
      marker = 'plus';
      content = line.replace(PLUS, '');
    }
    const prefix = marker === 'dash' ? '- ' : marker === 'plus' ? '+ ' : '';
    return bodyPara(prefix + content, { keepNext: keepNext === 'all' || (keepNext && i === lines.length - 1) });
  });
}

type Level = 'roman' | 'arabic' | 'dotted' | 'letter' | 'other';

function sectionLevel(number: string): Level {
  if (/^[IVXLCDM]+$/.test(number)) return 'roman';
  if (/^\d+$/.test(number)) return 'arabic';
  if (/^\d+(\.\d+)+$/.test(number)) return 'dotted';
  if (/^[a-zđ]$/i.test(number)) return 'letter';
  return 'other';
}

/** "I. TITLE", "1. Title", "2.1. Title", "2.2.1. Title", "a) Title". */
export function headingText(number: string, title: string): string {
  const n = cleanText(number).trim();
  const level = sectionLevel(n);
  const t = level === 'roman' ? title.toLocaleUpperCase('vi-VN') : title;
  if (level === 'letter') return `${n}) ${t}`;
  if (level === 'other') return `${n} ${t}`;
  return `${n}. ${t}`;
}

// ---------------------------------------------------------------------------------------------
// Data tables are written as XML by table-xml.ts and spliced in after packing; in the flow they
// are placeholder paragraphs carrying a per-render nonce, so no user text can collide with them.

interface PendingTable {
  marker: string;
  xml: string;
}

function placeholder(marker: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: marker, font: FONT })] });
}

async function spliceTables(buffer: Buffer, tables: PendingTable[]): Promise<Buffer> {
  if (tables.length === 0) return buffer;
  const zip = await JSZip.loadAsync(buffer);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('word/document.xml missing from the generated package');
  const xml = await file.async('string');
  const parts: string[] = [];
  let from = 0;
  // Markers appear in flow order, so one forward pass rebuilds the document.
  for (const t of tables) {
    const at = xml.indexOf(t.marker, from);
    const start = xml.lastIndexOf('<w:p>', at);
    const end = xml.indexOf('</w:p>', at);
    if (at < 0 || start < from || end < 0) throw new Error(`table placeholder not found: ${t.marker}`);
    parts.push(xml.slice(from, start), t.xml);
    from = end + '</w:p>'.length;
  }
  parts.push(xml.slice(from));
  zip.file('word/document.xml', parts.join(''));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

// ---------------------------------------------------------------------------------------------
// Fixed parts: national header, title, signature.

const HEADER_LEFT = 3572; // 63 mm
const HEADER_RIGHT = PORTRAIT_WIDTH - HEADER_LEFT;

function borderlessCell(children: Paragraph[], width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
    children,
  });
}

function borderlessTable(rows: Paragraph[][][], widths: number[]): Table {
  return new Table({
    rows: rows.map((cells) => new TableRow({ cantSplit: true, children: cells.map((c, i) => borderlessCell(c, widths[i])) })),
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
  });
}

function nationalHeader(org: Organization, numberLine: string, dateLine: string): Table {
  const left = [
    centred(org.parentBody.toLocaleUpperCase('vi-VN'), { size: PT(13) }),
    centred(org.agency.toLocaleUpperCase('vi-VN'), { size: PT(13), bold: true }),
    rule(1134, HEADER_LEFT, 60),
  ];
  const right = [
    centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: PT(13), bold: true }),
    centred('Độc lập - Tự do - Hạnh phúc', { size: PT(14), bold: true }),
    rule(3600, HEADER_RIGHT, 60),
  ];
  return borderlessTable(
    [
      [left, right],
      [[centred(numberLine, { size: PT(13), before: 80 })], [centred(dateLine, { size: PT(14), italics: true, before: 80 })]],
    ],
    [HEADER_LEFT, HEADER_RIGHT],
  );
}

function signatureBlock(org: Organization): Table {
  const items = org.recipients.map((r) => `- ${r.label.replace(/[;.]\s*$/, '')};`);
  items.push(`- ${org.archive.replace(/[;.]\s*$/, '')}.`);
  const left = [
    para([run('Nơi nhận:', { size: PT(12), bold: true, italics: true })], { align: AlignmentType.LEFT, size: PT(12) }),
    ...items.map((t) => para([run(t, { size: PT(11) })], { align: AlignmentType.LEFT, size: PT(11) })),
  ];
  const upper = (s: string) => s.toLocaleUpperCase('vi-VN');
  const right = [
    centred(upper(org.signature.authority), { bold: true }),
    centred(upper(org.signature.title), { bold: true }),
    ...Array.from({ length: 4 }, () => para([], { align: AlignmentType.CENTER })),
    centred(org.signature.signer, { bold: true }),
  ];
  const leftWidth = 4252; // 75 mm
  return borderlessTable([[left, right]], [leftWidth, PORTRAIT_WIDTH - leftWidth]);
}

function draftMark(version: number): Paragraph {
  return para(
    [
      run('DỰ THẢO', { size: PT(13), bold: true, color: RED, border: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 2 } }),
      run(`  Dự thảo v${version}`, { size: PT(12), italics: true, color: RED }),
    ],
    { align: AlignmentType.LEFT, size: PT(13), after: 120 },
  );
}

// ---------------------------------------------------------------------------------------------
// Document assembly.

interface Segment {
  landscape: boolean;
  children: Array<Paragraph | Table>;
}

class Flow {
  readonly segments: Segment[] = [{ landscape: false, children: [] }];
  add(item: Paragraph | Table, landscape = false) {
    let last = this.segments[this.segments.length - 1];
    if (last.landscape !== landscape) {
      last = { landscape, children: [] };
      this.segments.push(last);
    }
    last.children.push(item);
  }
  addAll(items: Array<Paragraph | Table>, landscape = false) {
    for (const i of items) this.add(i, landscape);
  }
}

export async function renderReport(input: RenderInput): Promise<Buffer> {
  const { template, report, organization: org, mode } = input;
  const warn = (m: string) => input.onWarning?.(m);
  if (mode === 'final' && (input.number === undefined || !input.issuedAt)) {
    throw new Error('Văn bản ban hành phải có số và ngày ban hành.');
  }
  if (!Number.isInteger(input.version) || input.version < 1) throw new Error('Số phiên bản dự thảo không hợp lệ.');

  const fill = (text: string, where: string) => {
    const r = fillPlaceholders(text, report);
    for (const u of r.unknown) warn(`Không tìm thấy số liệu cho "{${u}}" (${where}).`);
    return r.text;
  };

  const flow = new Flow();
  const pending: PendingTable[] = [];
  const nonce = randomBytes(6).toString('hex');
  const draft = mode === 'draft';
  if (draft) flow.add(draftMark(input.version));

  flow.add(
    nationalHeader(
      org,
      formatDocumentNumber(draft ? null : input.number, org.documentCode),
      formatDateLine(org.place, draft ? null : input.issuedAt),
    ),
  );
  flow.add(centred('BÁO CÁO', { bold: true, before: 360, keepNext: true }));
  const subject = fill(template.subject, 'trích yếu');
  flow.add(centred(subject, { bold: true, keepNext: true }));
  flow.add(rule(1701, PORTRAIT_WIDTH, 80));
  flow.add(centred(`Kính gửi: ${org.addressee.replace(/\.\s*$/, '')}.`, { before: 240, after: 240 }));

  for (const p of template.preamble ?? []) flow.addAll(textParagraphs(fill(p, 'mở đầu'), 'body'));

  const tablesById = new Map(template.tables.map((t) => [t.id, t]));

  const renderBlocks = (blocks: Block[], where: string) => {
    let produced = 0;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      const next = blocks[i + 1];
      const nextTable = next?.type === 'table' ? tablesById.get(next.id) : undefined;
      if (block.type === 'text') {
        // A lead-in sentence travels with its table, onto the landscape page if need be.
        const ps = textParagraphs(fill(block.text, where), block.style ?? 'body', Boolean(nextTable));
        flow.addAll(ps, nextTable?.landscape ?? false);
        produced += ps.length;
      } else if (block.type === 'narrative') {
        const items = report.narratives[block.id] ?? [];
        for (const item of items) {
          const ps = textParagraphs(item, block.style ?? 'dash');
          flow.addAll(ps);
          produced += ps.length;
        }
      } else if (block.type === 'table') {
        const def = tablesById.get(block.id);
        if (!def) {
          warn(`Mẫu báo cáo không có bảng "${block.id}" (${where}).`);
          flow.add(bodyPara(`[?bảng ${block.id}]`));
          continue;
        }
        const data = report.tables[block.id];
        if (!data) warn(`Chưa có số liệu cho bảng "${def.label}".`);
        const landscape = def.landscape ?? false;
        const marker = `baocao-table-${nonce}-${pending.length}`;
        pending.push({
          marker,
          xml: tableXml(def, data, {
            width: landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH,
            size: def.columns.length > 8 ? SMALL_TABLE_SIZE : TABLE_SIZE,
            cellStyle,
            font: FONT_NAME,
          }),
        });
        flow.add(placeholder(marker), landscape);
        // Space after a table, like a clerk's empty line; stays on the table's page.
        flow.add(para([], { size: PT(6), after: 0 }), landscape);
        produced++;
      }
    }
    return produced;
  };

  const renderSection = (s: Section, path: string) => {
    const title = fill(s.title, `mục ${path}`);
    flow.add(bodyPara(headingText(s.number, title), { bold: true, keepNext: true }));
    const produced = renderBlocks(s.blocks ?? [], `mục ${path}`);
    for (const child of s.children ?? []) renderSection(child, `${path}.${child.number}`);
    if (produced === 0 && (s.children ?? []).length === 0 && draft) {
      flow.add(bodyPara('(Chưa có nội dung)', { italics: true }));
    }
  };
  for (const s of template.sections) renderSection(s, s.number);

  // The closing sentence never leaves the signature alone on the last page.
  if (template.closing) flow.addAll(textParagraphs(fill(template.closing, 'kết thúc'), 'body', 'all'));
  flow.add(para([], { size: PT(6), keepNext: true }));
  flow.add(signatureBlock(org));

  const sections: ISectionOptions[] = flow.segments.map((seg, index) => {
    const pageNumberHeader = new Header({
      children: [
        para([new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: PT(13) })], {
          align: AlignmentType.CENTER,
          size: PT(13),
        }),
      ],
    });
    const footer = draft
      ? new Footer({
          children: [
            para([run(`Dự thảo v${input.version} - không phải văn bản ban hành`, { size: PT(10), italics: true, color: '7F7F7F' })], {
              align: AlignmentType.CENTER,
              size: PT(10),
            }),
          ],
        })
      : undefined;
    const first = index === 0;
    return {
      properties: {
        // Decree 30: no page number on page 1; the first-page header is left empty.
        titlePage: first,
        page: {
          size: {
            width: A4.width,
            height: A4.height,
            orientation: seg.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
          },
          margin: MARGIN,
        },
      },
      headers: first
        ? { default: pageNumberHeader, first: new Header({ children: [para([], { size: PT(13) })] }) }
        : { default: pageNumberHeader },
      footers: footer ? (first ? { default: footer, first: footer } : { default: footer }) : undefined,
      children: seg.children,
    };
  });

  const doc = new Document({
    creator: cleanText(org.agencyName),
    title: cleanText(`Báo cáo ${subject}`),
    description: draft ? `Dự thảo v${input.version}` : formatDocumentNumber(input.number, org.documentCode),
    customProperties: [
      { name: 'baocao.period', value: report.period.id },
      { name: 'baocao.mode', value: mode },
      { name: 'baocao.version', value: String(input.version) },
      ...(draft ? [] : [{ name: 'baocao.number', value: `${padTwo(input.number!)}/${org.documentCode}` }]),
      ...(input.approvals ?? []).map((a, i) => ({
        name: `baocao.approval.${i + 1}`,
        value: cleanText(`${a.role}: ${a.name} (${a.decidedAt})`),
      })),
    ],
    styles: {
      default: {
        document: {
          run: { font: FONT, size: BODY_SIZE },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
      paragraphStyles: paragraphStyles(),
    },
    sections,
  });
  return spliceTables(await Packer.toBuffer(doc), pending);
}

// ---------------------------------------------------------------------------------------------

export interface ReportFileNameInput {
  periodId: string;
  mode: 'draft' | 'final';
  version: number;
  number?: number;
  /** Issue year; added to a final name when it differs from the period's year (numbers restart each year). */
  year?: number;
  /** @default "cchc" */
  templateId?: string;
  /** @default "BC-SCT" */
  documentCode?: string;
}

/** "bao-cao-cchc-2021-du-thao-v1.docx", "bao-cao-cchc-2021-so-05-BC-SCT.docx". ASCII only, safe in S3 keys and headers. */
export function reportFileName(input: ReportFileNameInput): string {
  const slug = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  const base = `bao-cao-${slug(input.templateId ?? 'cchc').toLowerCase()}-${slug(input.periodId).toLowerCase()}`;
  if (input.mode === 'draft') return `${base}-du-thao-v${input.version}.docx`;
  if (input.number === undefined) throw new Error('Văn bản ban hành phải có số.');
  const periodYear = Number(/^\d{4}/.exec(input.periodId)?.[0]);
  const yearSuffix = input.year !== undefined && input.year !== periodYear ? `-${input.year}` : '';
  return `${base}-so-${padTwo(input.number)}-${slug(input.documentCode ?? 'BC-SCT')}${yearSuffix}.docx`;
}

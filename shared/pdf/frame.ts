/**
 * The fixed frame of the document as flow items: the draft mark, the two-column national header
 * with its short rules, number and date line, the title, the addressee, and "Nơi nhận" beside the
 * signature block. Sizes are the .docx's (shared/docx/frame.ts): the two renditions must print
 * the same page.
 */
import { type DocumentModel, PAGE_MM, type SignatureBlock } from '../document/model';
import type { BoxItem, FlowItem, PageInfo, ParaItem } from './paginate';
import { A4_PT, MARGIN_PT, MM, textWidth } from './paginate';
import { TWIP } from './table';
import { drawLine, type Line, layoutText, lineHeightOf, type Measure, type StyledRun, style } from './text';

const RED = '#C00000';
const HEADER_LEFT = 3572 * TWIP; // 63 mm
const SIGNATURE_LEFT = 4252 * TWIP; // 75 mm
/** 1 cm in points (the .docx counts 567 twips). */
const CM = 567 * TWIP;
/** The frame's text (title, addressee, signature) is 14 pt; body paragraphs take the model's bodySizePt. Body: justified, first line indented 1.27 cm, 6 pt after. */
export const BODY_PT = 14;
export const FIRST_LINE_INDENT = 720 * TWIP;
export const AFTER_BODY = 6;

const upper = (s: string) => s.toLocaleUpperCase('vi-VN');

export function paraItem(
  runs: StyledRun[],
  m: Measure,
  o: Partial<Omit<ParaItem, 'kind' | 'lines'>> & { markSize?: number; firstIndent?: number } = {},
): ParaItem {
  const width = o.width ?? textWidth(o.landscape ?? false);
  return {
    kind: 'para',
    lines: layoutText(runs, { width, firstIndent: o.firstIndent, markSize: o.markSize ?? BODY_PT }, m),
    align: o.align ?? 'left',
    width,
    indent: o.indent ?? 0,
    before: o.before ?? 0,
    after: o.after ?? 0,
    keepNext: o.keepNext ?? false,
    keepLines: o.keepLines ?? false,
    widowControl: o.widowControl ?? false,
    landscape: o.landscape ?? false,
  };
}

/** A column of a borderless frame table: centred (or left) paragraphs and short rules, stacked. */
type Stacked = { lines: Line[]; before: number; align: 'center' | 'left' } | { rule: number; before: number };

/** A rule drawn as the .docx draws it: the top border (0.75 pt, 1 pt from the text) of an empty 2 pt paragraph. */
const RULE_HEIGHT = lineHeightOf(2) + 1.75;

function stackHeight(items: Stacked[]): number {
  return items.reduce((a, s) => a + s.before + ('rule' in s ? RULE_HEIGHT : s.lines.reduce((h, l) => h + l.height, 0)), 0);
}

function drawStack(doc: PDFKit.PDFDocument, m: Measure, items: Stacked[], x: number, top: number, width: number): number {
  let y = top;
  for (const s of items) {
    y += s.before;
    if ('rule' in s) {
      const x0 = x + (width - s.rule) / 2;
      doc
        .lineWidth(0.75)
        .strokeColor('#000000')
        .moveTo(x0, y + 0.375)
        .lineTo(x0 + s.rule, y + 0.375)
        .stroke();
      y += RULE_HEIGHT;
      continue;
    }
    for (const line of s.lines) {
      drawLine(m, line, x, y, width, s.align);
      y += line.height;
    }
  }
  return y - top;
}

const centred = (
  text: string,
  size: number,
  width: number,
  m: Measure,
  o: { bold?: boolean; italic?: boolean; before?: number } = {},
): Stacked => ({
  lines: layoutText([{ text, style: style(size, o) }], { width, markSize: size }, m),
  before: o.before ?? 0,
  align: 'center',
});

function box(height: number, draw: BoxItem['draw'], o: Partial<Pick<BoxItem, 'before' | 'after' | 'keepNext'>> = {}): BoxItem {
  return { kind: 'box', height, draw, before: o.before ?? 0, after: o.after ?? 0, keepNext: o.keepNext ?? false, landscape: false };
}

/** "DỰ THẢO" in a red box, the version beside it; then the gap note when data was missing. */
function draftItems(doc: PDFKit.PDFDocument, m: Measure, draft: NonNullable<DocumentModel['draft']>): FlowItem[] {
  const mark = style(13, { bold: true, color: RED });
  const p = paraItem(
    [
      { text: 'DỰ THẢO', style: mark },
      { text: `  Dự thảo lần ${draft.version}`, style: style(12, { italic: true, color: RED }) },
    ],
    m,
  );
  const line = p.lines[0];
  const markWidth = m.width('DỰ THẢO', mark);
  const items: FlowItem[] = [
    box(
      line.height,
      (x, top) => {
        drawLine(m, line, x, top, p.width, 'left');
        doc
          .lineWidth(1.5)
          .strokeColor(RED)
          .rect(x - 2, top + 1, markWidth + 4, line.height - 1)
          .stroke();
      },
      { after: 6 },
    ),
  ];
  if (draft.gapNote)
    items.push(
      paraItem([{ text: `Lưu ý: ${draft.gapNote}`, style: style(12, { italic: true, color: RED }) }], m, { after: 6, markSize: 12 }),
    );
  return items;
}

function nationalHeader(doc: PDFKit.PDFDocument, m: Measure, h: DocumentModel['header']): BoxItem {
  const right = textWidth(false) - HEADER_LEFT;
  const left1: Stacked[] = [
    centred(upper(h.parentBody), 13, HEADER_LEFT, m),
    centred(upper(h.agency), 13, HEADER_LEFT, m, { bold: true }),
    { rule: 1134 * TWIP, before: 3 },
  ];
  const right1: Stacked[] = [
    centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 13, right, m, { bold: true }),
    centred('Độc lập - Tự do - Hạnh phúc', 14, right, m, { bold: true }),
    { rule: 3600 * TWIP, before: 3 },
  ];
  const left2 = [centred(h.numberLine, 13, HEADER_LEFT, m, { before: 4 })];
  const right2 = [centred(h.dateLine, 14, right, m, { italic: true, before: 4 })];
  const row1 = Math.max(stackHeight(left1), stackHeight(right1));
  const row2 = Math.max(stackHeight(left2), stackHeight(right2));
  return box(row1 + row2, (x, top) => {
    drawStack(doc, m, left1, x, top, HEADER_LEFT);
    drawStack(doc, m, right1, x + HEADER_LEFT, top, right);
    drawStack(doc, m, left2, x, top + row1, HEADER_LEFT);
    drawStack(doc, m, right2, x + HEADER_LEFT, top + row1, right);
  });
}

/** Header, title with its rule and the addressee: everything above the body. */
export function frameTop(doc: PDFKit.PDFDocument, m: Measure, model: DocumentModel): FlowItem[] {
  const w = textWidth(false);
  const bold = style(BODY_PT, { bold: true });
  const rule = 1701 * TWIP;
  return [
    ...(model.draft ? draftItems(doc, m, model.draft) : []),
    nationalHeader(doc, m, model.header),
    paraItem([{ text: model.title.kind, style: bold }], m, { align: 'center', before: 18, keepNext: true }),
    paraItem([{ text: model.title.subject, style: bold }], m, { align: 'center', keepNext: true }),
    box(RULE_HEIGHT, (x, top) => drawStack(doc, m, [{ rule, before: 0 }], x, top, w), { before: 4 }),
    paraItem([{ text: model.addressee, style: style(BODY_PT) }], m, { align: 'center', before: 12, after: 12 }),
  ];
}

export interface SignaturePlace {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The small gap, then "Nơi nhận" (12/11 pt) on the left and the signature block on the right. */
export function frameBottom(doc: PDFKit.PDFDocument, m: Measure, sig: SignatureBlock, onPlace: (p: SignaturePlace) => void): FlowItem[] {
  const right = textWidth(false) - SIGNATURE_LEFT;
  const left: Stacked[] = [
    {
      lines: layoutText(
        [{ text: 'Nơi nhận:', style: style(12, { bold: true, italic: true }) }],
        { width: SIGNATURE_LEFT, markSize: 12 },
        m,
      ),
      before: 0,
      align: 'left',
    },
    ...sig.recipients.map(
      (r): Stacked => ({
        lines: layoutText([{ text: r, style: style(11) }], { width: SIGNATURE_LEFT, markSize: 11 }, m),
        before: 0,
        align: 'left',
      }),
    ),
  ];
  const titles = sig.lines.map((l) => centred(l, BODY_PT, right, m, { bold: true }));
  const blank = sig.spaceCm * CM;
  const name = sig.signer ? [centred(sig.signer, BODY_PT, right, m, { bold: true })] : [];
  const titlesHeight = stackHeight(titles);
  const height = Math.max(stackHeight(left), titlesHeight + blank + stackHeight(name));
  return [
    // The .docx's empty 6 pt paragraph kept with the signature.
    paraItem([], m, { markSize: 6, keepNext: true }),
    box(height, (x, top, page: PageInfo) => {
      drawStack(doc, m, left, x, top, SIGNATURE_LEFT);
      const rx = x + SIGNATURE_LEFT;
      drawStack(doc, m, titles, rx, top, right);
      drawStack(doc, m, name, rx, top + titlesHeight + blank, right);
      // PDF coordinates: origin at the bottom-left of the page.
      onPlace({ page: page.index, x: rx, y: page.height - (top + titlesHeight + blank), width: right, height: blank });
    }),
  ];
}

/** Page number (13 pt, centred over the text, 10 mm from the top) from page 2; the draft footer on every page. */
export function decoratePage(m: Measure, index: number, landscape: boolean, draftVersion: number | null): void {
  const w = textWidth(landscape);
  const pageHeight = landscape ? A4_PT.width : A4_PT.height;
  const header = PAGE_MM.header * MM;
  if (index > 0) {
    const [line] = layoutText([{ text: String(index + 1), style: style(13) }], { width: w, markSize: 13 }, m);
    drawLine(m, line, MARGIN_PT.left, header, w, 'center');
  }
  if (draftVersion !== null) {
    const st = style(10, { italic: true, color: '#7F7F7F' });
    const [line] = layoutText(
      [{ text: `Dự thảo lần ${draftVersion} - không phải văn bản ban hành`, style: st }],
      { width: w, markSize: 10 },
      m,
    );
    drawLine(m, line, MARGIN_PT.left, pageHeight - header - line.height, w, 'center');
  }
}

/**
 * The PDF original: the document model drawn with pdfkit in the Decree 30 layout of the .docx,
 * without LibreOffice (it runs inside a Lambda). Liberation Serif (Times New Roman's metrics)
 * is embedded as subsets, so the text stays extractable and every Vietnamese letter prints.
 * Frame: frame.ts; tables: table.ts; lines: text.ts; pages: paginate.ts.
 */
import PDFDocument from 'pdfkit';
import { type Annex, type Block, bodySizeOf, type DocumentModel, type Run } from '../document/model';
import { fontPaths } from './fonts';
import { AFTER_BODY, decoratePage, FIRST_LINE_INDENT, frameBottom, frameTop, paraItem, type SignaturePlace } from './frame';
import { type FlowItem, Paginator } from './paginate';
import { layoutTable } from './table';
import { Measure, type StyledRun, style } from './text';

export interface RenderedPdf {
  pdf: Buffer;
  pageCount: number;
  /**
   * The blank of the signature block between the title lines and the signer's name, where the
   * signing step draws the signature image (and the seal over its left third). PDF points,
   * origin at the bottom-left of the page; page is 0-based.
   */
  signatureBox: SignaturePlace;
}

const nfc = (s: string) => s.normalize('NFC');

function runsOf(runs: Run[], size: number, force: { bold?: boolean; italic?: boolean } = {}): StyledRun[] {
  return runs.map((r) => ({ text: r.text, style: style(size, { bold: force.bold || r.bold, italic: force.italic || r.italic }) }));
}

/** size: the model's body size (bodySizeOf), for body paragraphs and headings. */
function bodyItem(block: Block, landscape: boolean, m: Measure, size: number): FlowItem {
  if (block.kind === 'table') {
    return { kind: 'table', table: layoutTable(block, m), landscape, before: 0, after: 0, keepNext: false };
  }
  if (block.role === 'spacer') return paraItem([], m, { markSize: 6, landscape, keepNext: block.keepWithNext });
  const heading = block.role === 'heading';
  return paraItem(runsOf(block.runs, size, { bold: heading }), m, {
    markSize: size,
    align: 'justify',
    firstIndent: FIRST_LINE_INDENT,
    after: AFTER_BODY,
    landscape,
    keepNext: heading || (block.keepWithNext ?? false),
    keepLines: heading,
    widowControl: true,
  });
}

/** An appendix: label, title and note centred on a new page, then its blocks. */
function annexItems(annex: Annex, m: Measure, size: number): FlowItem[] {
  const landscape = annex.landscape;
  const centred = (text: string, o: { bold?: boolean; italic?: boolean; after?: number; pageBreakBefore?: boolean }) => ({
    ...paraItem(runsOf([{ text }], size, o), m, { markSize: size, align: 'center', after: o.after ?? 0, landscape, keepNext: true }),
    pageBreakBefore: o.pageBreakBefore ?? false,
  });
  return [
    centred(annex.label, { bold: true, pageBreakBefore: true }),
    centred(annex.title, { bold: true }),
    centred(annex.note, { italic: true, after: 12 }),
    ...annex.blocks.map((b) => bodyItem(b, landscape, m, size)),
  ];
}

export interface RenderPdfOptions {
  /**
   * The file's creation date (Info and XMP). Given, the same model renders to the same bytes
   * (pdfkit derives the file ID from it), so a retried step stores an identical object.
   * @default now
   */
  createdAt?: Date;
}

export async function renderPdf(model: DocumentModel, options: RenderPdfOptions = {}): Promise<RenderedPdf> {
  const fonts = fontPaths();
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    margin: 0,
    font: fonts.regular,
    compress: true,
    pdfVersion: '1.7',
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: nfc(model.properties.title),
      Author: nfc(model.properties.creator),
      Subject: nfc(model.properties.description),
      Creator: 'baocao',
      Producer: 'baocao (pdfkit)',
      CreationDate: options.createdAt ?? new Date(),
    },
  });
  // The .docx's custom properties (period, mode, number, approvals) as custom entries of the PDF's Info.
  const info = doc.info as Record<string, string | Date | undefined>;
  for (const p of model.properties.custom) info[p.name] = nfc(p.value);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const m = new Measure(doc);
  const draftVersion = model.mode === 'draft' ? (model.draft?.version ?? 1) : null;
  let signatureBox: SignaturePlace | undefined;
  const top = frameTop(doc, m, model);
  const bottom = frameBottom(doc, m, model.signature, (p) => {
    signatureBox = p;
  });
  const bodySize = bodySizeOf(model);
  const annexes = (model.annexes ?? []).flatMap((a) => annexItems(a, m, bodySize));
  const count = top.length + model.body.length + bottom.length + annexes.length;
  const item = (i: number): FlowItem => {
    if (i < top.length) return top[i];
    const b = i - top.length;
    if (b < model.body.length) return bodyItem(model.body[b].block, model.body[b].landscape, m, bodySize);
    const a = b - model.body.length;
    return a < bottom.length ? bottom[a] : annexes[a - bottom.length];
  };
  const pages = new Paginator(doc, m, { onPage: (index, landscape) => decoratePage(m, index, landscape, draftVersion) });
  pages.layout(count, item);
  doc.end();
  const pdf = await done;
  if (!signatureBox) throw new Error('signature block was not placed');
  return { pdf, pageCount: pages.page + 1, signatureBox };
}

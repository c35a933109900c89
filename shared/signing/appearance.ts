/**
 * The visible part of a signature, drawn by pdfkit as a tiny one-page PDF the size of the
 * widget (images with their transparency, Liberation Serif subset for the text) and then
 * imported into the signed file as the widget's appearance (a Form XObject). pdfkit already
 * does PNG alpha (SMask) and font subsetting right; this file only decides what goes where.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { SigningError } from './errors';

/** The Decree 30 warning every test-only signature shows (never presented as legally signed). */
export const TEST_ONLY_NOTICE = 'Chữ ký thử nghiệm – không có giá trị pháp lý';

/** A rectangle in PDF points, origin at the bottom left of the page (PDF's own convention). */
export interface Box {
  /** 0-based page index. */
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What an appearance is drawn from, and its size in points. */
export type AppearanceSpec =
  /** `noticeAtTop`: the seal's test-only notice goes above it, clear of the person's below. */
  | { kind: 'image'; image: Buffer; width: number; height: number; testOnly: boolean; noticeAtTop?: boolean }
  | { kind: 'text'; lines: string[]; width: number; height: number; testOnly: boolean };

const FONT_FILE = 'LiberationSerif-Regular.ttf';
const here = dirname(fileURLToPath(import.meta.url));

/** Liberation Serif (Times New Roman metrics, every Vietnamese letter): the shared/pdf copy, else the system's. */
export function resolveSerifFont(): string {
  const candidates = [
    process.env.BAOCAO_SERIF_FONT,
    // In the source tree: shared/pdf/fonts (branch pdf). In a Lambda bundle every module is
    // index.mjs and the pdf branch's bundling hook copies the fonts to fonts/ beside it.
    join(here, '..', 'pdf', 'fonts', FONT_FILE),
    join(here, 'fonts', FONT_FILE),
    `/usr/share/fonts/truetype/liberation2/${FONT_FILE}`,
    `/usr/share/fonts/truetype/liberation/${FONT_FILE}`,
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new SigningError(
      'invalid-options',
      `Không tìm thấy phông ${FONT_FILE} để vẽ chữ ký (đặt BAOCAO_SERIF_FONT hoặc cài fonts-liberation2).`,
      500,
    );
  }
  return found;
}

/** Text size of the attachment mark (Decree 30, Appendix I, II.8.b: Times New Roman 10 pt). */
export const MARK_FONT_SIZE = 10;
const NOTICE_SIZE = 6;
/** Height the test-only notice takes. */
export const NOTICE_LINE = NOTICE_SIZE + 3;

export function noticeWidth(): number {
  return Math.ceil(textWidth(TEST_ONLY_NOTICE, NOTICE_SIZE)) + 4;
}

export function textWidth(text: string, size: number, font = resolveSerifFont()): number {
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.registerFont('serif', font);
  return doc.font('serif').fontSize(size).widthOfString(text.normalize('NFC'));
}

/** Size of the box the attachment mark needs: its lines at 10 pt, plus the notice when test-only. */
export function textBoxSize(lines: string[], testOnly: boolean): { width: number; height: number } {
  const font = resolveSerifFont();
  const widths = lines.map((l) => textWidth(l, MARK_FONT_SIZE, font));
  if (testOnly) widths.push(textWidth(TEST_ONLY_NOTICE, NOTICE_SIZE, font));
  return { width: Math.ceil(Math.max(...widths)) + 4, height: lines.length * 12 + (testOnly ? 9 : 0) + 4 };
}

/** The appearance as a one-page PDF of exactly width × height points. */
export async function drawAppearance(spec: AppearanceSpec): Promise<Buffer> {
  const { width, height } = spec;
  const doc = new PDFDocument({ size: [width, height], margin: 0, compress: true, info: { Producer: 'baocao' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const needsFont = spec.kind === 'text' || spec.testOnly;
  if (needsFont) doc.registerFont('serif', resolveSerifFont());
  const notice = spec.testOnly ? NOTICE_LINE : 0;
  if (spec.kind === 'image') {
    try {
      const top = spec.noticeAtTop ? notice : 0;
      doc.image(spec.image, 0, top, { fit: [width, height - notice], align: 'center', valign: 'center' });
    } catch (err) {
      throw new SigningError('invalid-options', `Ảnh chữ ký/con dấu không đọc được (cần PNG): ${(err as Error).message}`);
    }
  } else {
    doc.font('serif').fontSize(MARK_FONT_SIZE).fillColor('black');
    spec.lines.forEach((line, i) => {
      doc.text(line.normalize('NFC'), 0, 2 + i * 12, { width: width - 2, align: 'right', lineBreak: false });
    });
  }
  if (spec.testOnly) {
    doc
      .font('serif')
      .fontSize(NOTICE_SIZE)
      .fillColor('#b00020')
      .text(TEST_ONLY_NOTICE, 0, spec.kind === 'image' && spec.noticeAtTop ? 1 : height - NOTICE_SIZE - 2, {
        width,
        align: spec.kind === 'text' ? 'right' : 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}

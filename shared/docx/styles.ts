/**
 * Page geometry, fonts and paragraph styles of the Decree 30 document, and the run/paragraph
 * builders every other docx module goes through (so font slots and text cleaning are never missed).
 */
import { AlignmentType, BorderStyle, type IBorderOptions, LineRuleType, Paragraph, TextRun } from 'docx';
import { cleanText } from '../format/vi';
import type { AlignCode } from './table-xml';

// ---------------------------------------------------------------------------------------------
// Page geometry (twips; 1 mm = 56.6929 twips). Margins sit inside Decree 30's ranges.
export const A4 = { width: 11906, height: 16838 };
export const MARGIN = { top: 1134, bottom: 1134, left: 1701, right: 850, header: 567, footer: 567 };
export const PORTRAIT_WIDTH = A4.width - MARGIN.left - MARGIN.right; // 9355
export const LANDSCAPE_WIDTH = A4.height - MARGIN.left - MARGIN.right; // 14287

export const FONT_NAME = 'Times New Roman';
/** All four slots, so Word never falls back to a theme font for any script. */
export const FONT = { ascii: FONT_NAME, hAnsi: FONT_NAME, eastAsia: FONT_NAME, cs: FONT_NAME };

// Sizes in half-points.
export const PT = (pt: number) => pt * 2;
export const BODY_SIZE = PT(14);
export const TABLE_SIZE = PT(12);
/** Wide tables (more than 8 columns) drop to 11 pt. */
export const SMALL_TABLE_SIZE = PT(11);

export const FIRST_LINE_INDENT = 720; // 1.27 cm
/** Single line spacing: the least Decree 30 allows (single to 1.5 lines), as the seed sets its body. */
export const BODY_LINE = 240;
export const AFTER_6PT = 120;

export const RED = 'C00000';
export const RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };
export const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs: every run goes through `run` so font slots and cleaning are never missed.

export interface RunStyle {
  size?: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  border?: IBorderOptions;
}

export function run(text: string, style: RunStyle = {}): TextRun {
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
export const S = {
  plain: 'BcPlain',
  body: 'BcBody',
  heading: 'BcHeading',
} as const;

export type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
export const ALIGN_CODE: Record<AlignCode, Align> = { L: AlignmentType.LEFT, C: AlignmentType.CENTER, R: AlignmentType.RIGHT };

/** Table paragraph style by size (half-points), alignment and weight, e.g. "BcCell24RB". */
export function cellStyle(size: number, align: AlignCode, bold = false): string {
  return `BcCell${size}${align}${bold ? 'B' : ''}`;
}

/**
 * The paragraph styles of one document. bodySize (half-points): body paragraphs and headings, the
 * template's bodySizePt; the frame (BcPlain) stays at 14 pt. tableSizes (half-points): every table
 * size the document uses gets its cell styles, beside the default ones.
 */
export function paragraphStyles(bodySize = BODY_SIZE, tableSizes: number[] = []) {
  const sizes = [...new Set([TABLE_SIZE, SMALL_TABLE_SIZE, PT(10), ...tableSizes])];
  const cells = sizes.flatMap((size) =>
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
      run: { font: FONT, size: bodySize },
      paragraph: {
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: FIRST_LINE_INDENT },
        spacing: { before: 0, after: AFTER_6PT, line: BODY_LINE, lineRule: LineRuleType.AUTO },
        // No single line of a paragraph alone at the foot or the head of a page.
        widowControl: true,
      },
    },
    {
      id: S.heading,
      name: 'Báo cáo - đề mục',
      basedOn: S.body,
      next: S.body,
      run: { font: FONT, size: bodySize, bold: true },
      paragraph: { keepNext: true, keepLines: true },
    },
    ...cells,
  ];
}

export function para(
  children: TextRun[],
  opts: {
    style?: string;
    align?: Align;
    /** Size of the paragraph mark: sets the height of an empty line. */
    size?: number;
    before?: number;
    after?: number;
    line?: number;
    /** 'exact': the line is exactly `line` twips high (a blank of fixed height). */
    lineRule?: 'exact';
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
    spacing: spaced
      ? {
          before: opts.before ?? 0,
          after: opts.after ?? 0,
          line: opts.line ?? 240,
          lineRule: opts.lineRule === 'exact' ? LineRuleType.EXACT : LineRuleType.AUTO,
        }
      : undefined,
    indent: indented ? { left: opts.left ?? 0, right: opts.right ?? 0 } : undefined,
    keepNext: opts.keepNext,
    border: opts.borderTop ? { top: opts.borderTop } : undefined,
    run: opts.size !== undefined ? { font: FONT, size: opts.size } : undefined,
  });
}

export { markupSpans, type Span } from '../document/markup';

/** A short horizontal rule: an empty paragraph whose top border is narrowed by its indents. */
export function rule(width: number, containerWidth: number, before = 0): Paragraph {
  const side = Math.max(0, Math.round((containerWidth - width) / 2));
  return para([], { align: AlignmentType.CENTER, size: PT(2), left: side, right: side, before, borderTop: RULE });
}

export function centred(text: string, style: RunStyle & { before?: number; after?: number; keepNext?: boolean } = {}): Paragraph {
  return para([run(text, style)], {
    align: AlignmentType.CENTER,
    size: style.size,
    before: style.before,
    after: style.after,
    keepNext: style.keepNext,
  });
}

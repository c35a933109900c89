/**
 * The document model: one report laid out as Decree 30/2020 asks, before any file format.
 *
 * Built once from template + aggregated report + organization (shared/document/build.ts) and
 * rendered three ways from the same value: the .docx working copy (shared/docx), the HTML view
 * approvers read (shared/document/html.ts) and the PDF original that is signed (shared/pdf).
 * Everything a reader sees is decided here — which headings print, the order of items, the
 * formatted figures, merged table cells — so the three renditions cannot disagree; a renderer
 * only decides how to draw it. Pure data: JSON-serialisable, no Buffers, no classes.
 */

/** A4 portrait page and the margins of Decree 30, Appendix I (mm). Landscape swaps width and height. */
export const PAGE_MM = {
  width: 210,
  height: 297,
  margin: { top: 20, bottom: 20, left: 30, right: 15 },
  /** Distance from the top edge to the page number (header). */
  header: 10,
} as const;

/** Body text size when a model does not say (models stored before bodySizePt existed). */
export const DEFAULT_BODY_PT = 14;

/** The body text size of a model, in points. */
export const bodySizeOf = (model: Pick<DocumentModel, 'bodySizePt'>): number => model.bodySizePt ?? DEFAULT_BODY_PT;

export type Align = 'left' | 'center' | 'right' | 'justify';

/** A stretch of text with one emphasis. Text is NFC, with no markup left in it. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/**
 * One paragraph of the body.
 * - body: justified text at the model's bodySizePt with a first-line indent; bullets keep their marker ("- ", "+ ")
 *   at the start of the first run, as typed.
 * - heading: a section heading ("I. KẾT QUẢ …", "1. …", "a) …"), bold, kept with what follows.
 * - empty-section: a draft's "(Chưa có nội dung)" under a heading with nothing under it.
 * - spacer: the small gap a clerk leaves after a table.
 */
export interface ParagraphBlock {
  kind: 'paragraph';
  role: 'body' | 'heading' | 'empty-section' | 'spacer';
  runs: Run[];
  /** Keep on the same page as the next block (lead-ins, headings, sentences ending in ":"). */
  keepWithNext?: boolean;
}

/** A table cell. A cell covered by a row or column span of another cell is absent from its row (as in HTML). */
export interface TableCell {
  text: string;
  align: Align;
  bold?: boolean;
  colSpan?: number;
  rowSpan?: number;
}

export interface TableRow {
  cells: TableCell[];
  /** Header rows (group labels, column labels, column numbers) repeat on every page the table crosses. */
  header?: boolean;
  /** The total row. */
  total?: boolean;
  /** A row that must not break across pages. */
  keepTogether?: boolean;
}

export interface TableBlock {
  kind: 'table';
  /** The template's table id. */
  id: string;
  /** The template's label, for a caption or an accessible name; not printed in the body. */
  label: string;
  /** Column widths in twips (1/1440 in); their sum is the text width of the page the table is on. */
  columnWidths: number[];
  fontSizePt: number;
  rows: TableRow[];
}

export type Block = ParagraphBlock | TableBlock;

/** A block and the orientation of the page it is printed on (wide tables go landscape, their lead-in with them). */
export interface Placed {
  block: Block;
  landscape: boolean;
}

export interface SignatureBlock {
  /** "- UBND tỉnh …;" lines under "Nơi nhận:", the last one "- Lưu: VT, …." */
  recipients: string[];
  /** Capitalised lines above the signature: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] or ["GIÁM ĐỐC"]. */
  lines: string[];
  /** Blank height left for the handwritten or digital signature and the seal. */
  spaceCm: number;
  /** The signer's full name; absent when the signer writes it by hand. */
  signer?: string;
}

/**
 * An appendix (phụ lục) printed after the signature block on pages of its own: "Phụ lục I", its
 * title and "(Kèm theo Báo cáo số …/… ngày … của …)" centred above its blocks (Decree 30, Appendix I).
 */
export interface Annex {
  /** "Phụ lục I". */
  label: string;
  title: string;
  /** "(Kèm theo Báo cáo số 05/BC-STP ngày 05/01/2025 của Sở Tư pháp)", blanks in a draft. */
  note: string;
  landscape: boolean;
  blocks: Block[];
}

export interface DocumentModel {
  mode: 'draft' | 'final';
  /**
   * Size of body paragraphs and headings in points (13 or 14, the template's bodySizePt); absent
   * in models stored before it existed, which are 14 pt (DEFAULT_BODY_PT). Tables carry their own.
   */
  bodySizePt?: number;
  /** Drafts only: the version and, when the compiler compiled with data missing, what was missing. */
  draft?: { version: number; gapNote?: string };
  header: {
    /** Left column, capitalised by the renderer: parent body, then the agency (bold). */
    parentBody: string;
    agency: string;
    /** "Số: 01/BC-SCT" (final) or "Số:      /BC-SCT" (draft). */
    numberLine: string;
    /** "Quảng Ninh, ngày 15 tháng 11 năm 2021" (final) or with blanks (draft). */
    dateLine: string;
  };
  /** "BÁO CÁO" and the subject line under it. */
  title: { kind: string; subject: string };
  /** "Kính gửi: …." */
  addressee: string;
  body: Placed[];
  signature: SignatureBlock;
  /** Appendices after the signature block; absent in models stored before they existed. */
  annexes?: Annex[];
  /** File metadata: title, author, description and custom properties (period, mode, approvals …). */
  properties: {
    title: string;
    creator: string;
    description: string;
    custom: Array<{ name: string; value: string }>;
  };
  /** Problems found while building (unknown placeholder, missing table), for the compiler. */
  warnings: string[];
}

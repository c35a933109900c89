/**
 * Data tables written straight as WordprocessingML.
 *
 * Why not the docx library's Table: a 500-division report has tens of thousands of cells, and
 * docx keeps several objects per XML element until it serializes, which took the renderer past
 * its memory budget (~450 MB, see test/bench/run.ts). A table is a small, regular piece of XML,
 * so it is written here as a string and spliced into word/document.xml after packing
 * (render.ts). Formatting still comes from the paragraph styles render.ts defines.
 */
import type { AggregatedTable, CellValue } from '../domain/report';
import type { Column, NumberStyle, Table as TableDef } from '../domain/template';
import { cleanText, DEFAULT_NUMBER_STYLE, formatCountStyled, formatPercent } from '../format/vi';

export type AlignCode = 'L' | 'C' | 'R';

export interface TableXmlOptions {
  /** Total width in twips. */
  width: number;
  /** Run size in half-points; selects the paragraph style. */
  size: number;
  /** Paragraph style id for a cell: size, alignment, bold. */
  cellStyle: (size: number, align: AlignCode, bold: boolean) => string;
  /** Font name set on all four slots of every run. */
  font: string;
  /** The document's number style (template.numberStyle). */
  numberStyle?: NumberStyle;
}

const STT_WIDTH = 624; // 11 mm: "STT" on one line

export const isSttColumn = (c: Column) => c.id.toLowerCase() === 'stt';

/**
 * Column widths from content: every column first gets room for its longest unbreakable word
 * (header in bold, or a cell's figure such as "24.547", which must never wrap), then the rest of
 * the width goes by the square root of each column's longest text, so long text cells are wide
 * enough not to grow tall while short names and figures stay narrow. STT is fixed.
 */
export function columnWidths(
  columns: Column[],
  total: number,
  rows: Array<Record<string, CellValue>> = [],
  o: { size?: number; format?: (c: Column, v: CellValue | undefined) => string } = {},
): number[] {
  const format = o.format ?? ((c: Column, v: CellValue | undefined) => formatCell(c, v));
  // Average Times glyph ≈ 0.5 em (bold ≈ 0.55 em); a cell has 2 × 108 twips of margin.
  const em = ((o.size ?? 24) / 2) * 20;
  const PAD = 216;
  const texts = (c: Column) => rows.map((r) => cleanText(format(c, r[c.id])));
  const longestWord = (ts: string[], bold: boolean) =>
    Math.max(0, ...ts.flatMap((t) => t.split(/\s+/).map((w) => wordEms(w) * (bold ? 1.08 : 1))));
  const minimum = columns.map((c) => {
    if (isSttColumn(c)) return STT_WIDTH;
    return Math.ceil(Math.max(longestWord([c.label], true), longestWord(texts(c), false)) * em + PAD);
  });
  const weights = columns.map((c) => {
    if (isSttColumn(c)) return 0;
    const longest = Math.max(c.label.length / 3, ...texts(c).map((t) => t.length));
    return c.type === 'text' ? Math.sqrt(Math.max(1, longest)) : Math.sqrt(Math.max(1, longest)) / 3;
  });
  const floor = minimum.reduce((a, b) => a + b, 0);
  let widths: number[];
  if (floor >= total) widths = minimum.map((m) => Math.floor((m / floor) * total));
  else {
    const sum = weights.reduce((a, b) => a + b, 0) || 1;
    widths = minimum.map((m, i) => m + Math.floor(((total - floor) * weights[i]) / sum));
  }
  widths[widths.length - 1] += total - widths.reduce((a, b) => a + b, 0);
  return widths;
}

/** Width of a word in em of Times New Roman, roughly: capitals and "%" are wide, "i", "l", "." narrow. */
function wordEms(word: string): number {
  let w = 0;
  for (const ch of word.normalize('NFC')) {
    if (/[%MWmw]/.test(ch)) w += 0.86;
    else if (/\p{Lu}/u.test(ch)) w += 0.7;
    else if (/[\d]/.test(ch)) w += 0.5;
    else if (/[.,:;!|ilIjtf()/'-]/.test(ch)) w += 0.3;
    else w += 0.47;
  }
  return w;
}

export function formatCell(column: Column, value: CellValue | undefined, style: NumberStyle = DEFAULT_NUMBER_STYLE): string {
  if (value === null || value === undefined || value === '') return column.type === 'ratio' ? '-' : '';
  if (column.type === 'ratio') return typeof value === 'number' ? formatPercent(value, style) : String(value);
  if (typeof value === 'number') return isSttColumn(column) ? String(value) : formatCountStyled(value, style);
  return String(value);
}

function cellAlign(column: Column): AlignCode {
  if (isSttColumn(column)) return 'C';
  return column.type === 'text' ? 'L' : 'R';
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"';

export function tableXml(def: TableDef, data: AggregatedTable | undefined, o: TableXmlOptions): string {
  // Hidden columns (a ratio's denominator nobody reads) are entered, never printed.
  const columns = def.columns.filter((c) => !c.hidden);
  const style = o.numberStyle ?? DEFAULT_NUMBER_STYLE;
  const fmt = (c: Column, v: CellValue | undefined) => formatCell(c, v, style);
  const widths = columnWidths(columns, o.width, data?.rows ?? [], { size: o.size, format: fmt });
  const rFonts = `<w:rPr><w:rFonts w:ascii="${o.font}" w:hAnsi="${o.font}" w:eastAsia="${o.font}" w:cs="${o.font}"/></w:rPr>`;
  const out: string[] = [];

  const cell = (text: string, c: { width: number; align: AlignCode; bold?: boolean; span?: number; vMerge?: 'restart' | 'continue' }) => {
    const style = o.cellStyle(o.size, c.align, c.bold ?? false);
    let pr = `<w:tcW w:w="${c.width}" w:type="dxa"/>`;
    if (c.span && c.span > 1) pr += `<w:gridSpan w:val="${c.span}"/>`;
    if (c.vMerge === 'restart') pr += '<w:vMerge w:val="restart"/>';
    if (c.vMerge === 'continue') pr += '<w:vMerge/>';
    // Names stay top-aligned as typed; figures and headers are centred vertically.
    if (c.align !== 'L') pr += '<w:vAlign w:val="center"/>';
    out.push(`<w:tc><w:tcPr>${pr}</w:tcPr>`);
    const lines = text === '' ? [''] : cleanText(text).split(/\r\n|\r|\n/);
    for (const line of lines) {
      out.push(`<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>`);
      if (line) out.push(`<w:r>${rFonts}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r>`);
      out.push('</w:p>');
    }
    out.push('</w:tc>');
  };
  const rowStart = (header: boolean) => out.push(`<w:tr><w:trPr><w:cantSplit/>${header ? '<w:tblHeader/>' : ''}</w:trPr>`);

  out.push(
    '<w:tbl><w:tblPr>',
    `<w:tblW w:w="${o.width}" w:type="dxa"/>`,
    `<w:tblBorders><w:top ${BORDER}/><w:left ${BORDER}/><w:bottom ${BORDER}/><w:right ${BORDER}/><w:insideH ${BORDER}/><w:insideV ${BORDER}/></w:tblBorders>`,
    '<w:tblLayout w:type="fixed"/>',
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>',
    '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>',
    '</w:tblPr><w:tblGrid>',
    ...widths.map((w) => `<w:gridCol w:w="${w}"/>`),
    '</w:tblGrid>',
  );

  // Header: grouped columns get a merged group cell above their own labels; the others span both rows.
  const grouped = columns.some((c) => c.group);
  rowStart(true);
  if (!grouped) {
    for (const [i, c] of columns.entries()) cell(c.label, { width: widths[i], align: 'C', bold: true });
    out.push('</w:tr>');
  } else {
    const second: Array<() => void> = [];
    for (let i = 0; i < columns.length; ) {
      const group = columns[i].group;
      if (!group) {
        const k = i;
        cell(columns[k].label, { width: widths[k], align: 'C', bold: true, vMerge: 'restart' });
        second.push(() => cell('', { width: widths[k], align: 'C', bold: true, vMerge: 'continue' }));
        i++;
        continue;
      }
      let j = i;
      let width = 0;
      while (j < columns.length && columns[j].group === group) {
        const k = j;
        second.push(() => cell(columns[k].label, { width: widths[k], align: 'C', bold: true }));
        width += widths[j];
        j++;
      }
      cell(group, { width, align: 'C', bold: true, span: j - i });
      i = j;
    }
    out.push('</w:tr>');
    rowStart(true);
    for (const f of second) f();
    out.push('</w:tr>');
  }

  if (def.columnNumbers) {
    rowStart(true);
    for (const [i] of columns.entries()) cell(String(i + 1), { width: widths[i], align: 'C' });
    out.push('</w:tr>');
  }

  // spanRows columns: a cell equal to the one above continues its merge instead of repeating it.
  const rows = data?.rows ?? [];
  const rowsCantSplit = !columns.some((c) => c.spanRows);
  for (const [r, row] of rows.entries()) {
    out.push(`<w:tr>${rowsCantSplit ? '<w:trPr><w:cantSplit/></w:trPr>' : ''}`);
    for (const [i, c] of columns.entries()) {
      const text = fmt(c, row[c.id]);
      if (c.spanRows && text !== '') {
        const above = r > 0 ? fmt(c, rows[r - 1][c.id]) : undefined;
        const below = r + 1 < rows.length ? fmt(c, rows[r + 1][c.id]) : undefined;
        if (above === text) cell('', { width: widths[i], align: cellAlign(c), vMerge: 'continue' });
        else cell(text, { width: widths[i], align: cellAlign(c), vMerge: below === text ? 'restart' : undefined });
        continue;
      }
      cell(text, { width: widths[i], align: cellAlign(c) });
    }
    out.push('</w:tr>');
  }

  const total = data?.total;
  if (def.totalLabel && total) {
    // The label spans the leading columns that have no total of their own (STT, names), as clerks
    // merge them; aggregation may already have put the label in the first text column.
    let span = 1;
    while (span < columns.length) {
      const c = columns[span];
      const v = total[c.id];
      if (c.type !== 'text' || (v !== null && v !== undefined && v !== '' && v !== def.totalLabel)) break;
      span++;
    }
    rowStart(false);
    cell(def.totalLabel, { width: widths.slice(0, span).reduce((a, b) => a + b, 0), align: 'C', bold: true, span });
    for (const [k, c] of columns.slice(span).entries())
      cell(fmt(c, total[c.id]), { width: widths[span + k], align: cellAlign(c), bold: true });
    out.push('</w:tr>');
  }

  out.push('</w:tbl>');
  return out.join('');
}

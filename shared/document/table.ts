/**
 * A template table with its aggregated rows as the model's table: formatted cells, widths from
 * content, group headers, row spans where content is shared, the column-number row and the total.
 */
import type { AggregatedTable, CellValue } from '../domain/report';
import type { Column, NumberStyle, Table as TableDef } from '../domain/template';
import { cleanText, DEFAULT_NUMBER_STYLE, formatCountStyled, formatPercent } from '../format/vi';
import { type Align, PAGE_MM, type TableBlock, type TableCell, type TableRow } from './model';

const mmToTwips = (mm: number) => Math.round((mm * 1440) / 25.4);
/** Text width of a portrait and a landscape page in twips (9355 and 14287). */
export const PORTRAIT_TEXT_TWIPS = mmToTwips(PAGE_MM.width) - mmToTwips(PAGE_MM.margin.left) - mmToTwips(PAGE_MM.margin.right);
export const LANDSCAPE_TEXT_TWIPS = mmToTwips(PAGE_MM.height) - mmToTwips(PAGE_MM.margin.left) - mmToTwips(PAGE_MM.margin.right);

const STT_WIDTH = 624; // 11 mm: "STT" on one line

export const isSttColumn = (c: Column) => c.id.toLowerCase() === 'stt';

/** Tables that need the width of a landscape page; the others stay portrait with smaller type. */
export function tableFontPt(columns: number): number {
  return columns > 10 ? 10 : columns > 7 ? 11 : 12;
}

/**
 * Column widths from content: every column first gets room for its longest unbreakable word
 * (header in bold, or a cell's figure such as "24.547", which must never wrap), then the rest of
 * the width goes by the square root of each column's longest text, so long text cells are wide
 * enough not to grow tall while short names and figures stay narrow. STT is fixed.
 * size: font size in half-points.
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

function cellAlign(column: Column): Align {
  if (isSttColumn(column)) return 'center';
  return column.type === 'text' ? 'left' : 'right';
}

function cell(text: string, align: Align, extra: { bold?: boolean; colSpan?: number; rowSpan?: number } = {}): TableCell {
  const c: TableCell = { text: cleanText(text), align };
  if (extra.bold) c.bold = true;
  if (extra.colSpan && extra.colSpan > 1) c.colSpan = extra.colSpan;
  if (extra.rowSpan && extra.rowSpan > 1) c.rowSpan = extra.rowSpan;
  return c;
}

/** The header rows: grouped columns get a group cell above their labels; the others span both rows. */
function headerRows(columns: Column[], columnNumbers: boolean): TableRow[] {
  const rows: TableRow[] = [];
  if (!columns.some((c) => c.group)) {
    rows.push({ header: true, keepTogether: true, cells: columns.map((c) => cell(c.label, 'center', { bold: true })) });
  } else {
    const first: TableCell[] = [];
    const second: TableCell[] = [];
    for (let i = 0; i < columns.length; ) {
      const group = columns[i].group;
      if (!group) {
        first.push(cell(columns[i].label, 'center', { bold: true, rowSpan: 2 }));
        i++;
        continue;
      }
      let j = i;
      while (j < columns.length && columns[j].group === group) second.push(cell(columns[j++].label, 'center', { bold: true }));
      first.push(cell(group, 'center', { bold: true, colSpan: j - i }));
      i = j;
    }
    rows.push({ header: true, keepTogether: true, cells: first }, { header: true, keepTogether: true, cells: second });
  }
  if (columnNumbers) rows.push({ header: true, keepTogether: true, cells: columns.map((_, i) => cell(String(i + 1), 'center')) });
  return rows;
}

export interface TableModelOptions {
  /** Total width in twips. */
  width: number;
  fontSizePt: number;
  numberStyle?: NumberStyle;
}

export function tableModel(def: TableDef, data: AggregatedTable | undefined, o: TableModelOptions): TableBlock {
  // Hidden columns (a ratio's denominator nobody reads) are entered, never printed.
  const columns = def.columns.filter((c) => !c.hidden);
  const style = o.numberStyle ?? DEFAULT_NUMBER_STYLE;
  const fmt = (c: Column, v: CellValue | undefined) => formatCell(c, v, style);
  const data_ = data?.rows ?? [];
  const widths = columnWidths(columns, o.width, data_, { size: o.fontSizePt * 2, format: fmt });
  const rows = headerRows(columns, def.columnNumbers);

  // spanRows columns: a cell equal to the one above is covered by it (rowSpan) instead of repeated.
  const texts = data_.map((row) => columns.map((c) => fmt(c, row[c.id])));
  const keepTogether = !columns.some((c) => c.spanRows);
  for (const [r, line] of texts.entries()) {
    const cells: TableCell[] = [];
    for (const [i, c] of columns.entries()) {
      const text = line[i];
      if (c.spanRows && text !== '') {
        if (r > 0 && texts[r - 1][i] === text) continue;
        let span = 1;
        while (r + span < texts.length && texts[r + span][i] === text) span++;
        cells.push(cell(text, cellAlign(c), { rowSpan: span }));
        continue;
      }
      cells.push(cell(text, cellAlign(c)));
    }
    rows.push(keepTogether ? { cells, keepTogether: true } : { cells });
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
    rows.push({
      total: true,
      keepTogether: true,
      cells: [
        cell(def.totalLabel, 'center', { bold: true, colSpan: span }),
        ...columns.slice(span).map((c) => cell(fmt(c, total[c.id]), cellAlign(c), { bold: true })),
      ],
    });
  }
  return { kind: 'table', id: def.id, label: cleanText(def.label), columnWidths: widths, fontSizePt: o.fontSizePt, rows };
}

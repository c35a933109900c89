/**
 * Bordered data tables: cells placed on a grid as HTML places them (a cell covered by a row or
 * column span is absent from its row), row heights from their text, and drawing of any run of
 * rows — which is how a table continues on the next page under its repeated header rows.
 * Sizes follow shared/docx/table-xml.ts: 0.5 pt borders, cell margins 2 pt top and bottom and
 * 4 pt left and right, single-spaced text of the table's size.
 */
import type { Align, TableBlock } from '../document/model';
import { drawLine, type Line, layoutText, lineHeightOf, type Measure, style } from './text';

export const TWIP = 1 / 20;
const PAD_X = 80 * TWIP;
const PAD_Y = 40 * TWIP;
const BORDER = 0.5;

interface PlacedCell {
  row: number;
  col: number;
  colSpan: number;
  rowSpan: number;
  align: Align;
  /** Each paragraph's lines (a cell's text may hold line breaks). */
  lines: Line[];
  contentHeight: number;
}

export interface TableLayout {
  width: number;
  /** Left edge of every column, from the table's left edge; one more entry for the right edge. */
  edges: number[];
  heights: number[];
  /** Leading header rows, repeated on every page the table crosses. */
  headerRows: number;
  cells: PlacedCell[];
  /** Cells by the row they start in. */
  startingIn: PlacedCell[][];
  keepTogether: boolean[];
}

export function layoutTable(block: TableBlock, m: Measure): TableLayout {
  const widths = block.columnWidths.map((w) => w * TWIP);
  const edges = [0];
  for (const w of widths) edges.push(edges[edges.length - 1] + w);
  const size = block.fontSizePt;
  const occupied: boolean[][] = block.rows.map(() => []);
  const cells: PlacedCell[] = [];
  const startingIn: PlacedCell[][] = block.rows.map(() => []);
  block.rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row.cells) {
      while (occupied[r][col]) col++;
      const colSpan = Math.max(1, Math.min(cell.colSpan ?? 1, widths.length - col));
      const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, block.rows.length - r));
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) occupied[r + dr][col + dc] = true;
      const inner = Math.max(1, edges[col + colSpan] - edges[col] - 2 * PAD_X);
      const st = style(size, { bold: cell.bold });
      const lines = cell.text
        .split(/\r\n|\r|\n/)
        .flatMap((para) => layoutText([{ text: para, style: st }], { width: inner, markSize: size }, m));
      const placed: PlacedCell = {
        row: r,
        col,
        colSpan,
        rowSpan,
        align: cell.align,
        lines,
        // LibreOffice counts the border's width into the row, as Word does: rows are 0.5 pt taller than their text.
        contentHeight: lines.reduce((a, l) => a + l.height, 0) + 2 * PAD_Y + BORDER,
      };
      cells.push(placed);
      startingIn[r].push(placed);
      col += colSpan;
    }
  });
  // An empty row is still one line high, as an empty paragraph in a Word cell is.
  const heights = block.rows.map(() => lineHeightOf(size) + 2 * PAD_Y + BORDER);
  for (const c of cells) if (c.rowSpan === 1) heights[c.row] = Math.max(heights[c.row], c.contentHeight);
  // A merged cell taller than its rows grows the last of them.
  for (const c of cells) {
    if (c.rowSpan === 1) continue;
    const have = heights.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    if (have < c.contentHeight) heights[c.row + c.rowSpan - 1] += c.contentHeight - have;
  }
  let headerRows = 0;
  while (headerRows < block.rows.length && block.rows[headerRows].header) headerRows++;
  // Header rows repeat only while something is left under them on the page.
  if (headerRows === block.rows.length) headerRows = 0;
  return {
    width: edges[edges.length - 1],
    edges,
    heights,
    headerRows,
    cells,
    startingIn,
    keepTogether: block.rows.map((r) => r.keepTogether ?? false),
  };
}

/**
 * Draws rows [from, to) with their top at `top`; cells merged from a row above `from` are drawn
 * as their continuation (borders, no text). Returns the height drawn.
 */
export function drawRows(doc: PDFKit.PDFDocument, m: Measure, t: TableLayout, x: number, top: number, from: number, to: number): number {
  const rowTop: number[] = [];
  let y = top;
  for (let r = from; r < to; r++) {
    rowTop[r] = y;
    y += t.heights[r];
  }
  doc.lineWidth(BORDER).strokeColor('#000000');
  for (const c of t.cells) {
    const end = c.row + c.rowSpan;
    if (end <= from || c.row >= to) continue;
    const first = Math.max(c.row, from);
    const last = Math.min(end, to);
    const cy = rowTop[first];
    const h = rowTop[last - 1] + t.heights[last - 1] - cy;
    const cx = x + t.edges[c.col];
    const w = t.edges[c.col + c.colSpan] - t.edges[c.col];
    doc.rect(cx, cy, w, h).stroke();
    if (c.row < from) continue; // the text was printed where the merged cell began
    // Names stay top-aligned; figures and headers are centred vertically (as the .docx sets vAlign).
    const textH = c.contentHeight - 2 * PAD_Y - BORDER;
    let ly = c.align === 'left' || c.align === 'justify' ? cy + PAD_Y : cy + (h - textH) / 2;
    for (const line of c.lines) {
      drawLine(m, line, cx + PAD_X, ly, w - 2 * PAD_X, c.align);
      ly += line.height;
    }
  }
  return y - top;
}

/**
 * Splits row r so that its first part is at most `height` tall: each cell keeps the lines that
 * fit, the rest go to a new row after it (as Word and LibreOffice break a row at a page foot).
 * Only rows without merged cells across rows split; returns false when the row cannot.
 */
export function splitRow(t: TableLayout, r: number, height: number): boolean {
  if (t.cells.some((c) => c.row <= r && c.row + c.rowSpan > r && c.rowSpan > 1)) return false;
  const room = height - 2 * PAD_Y - BORDER;
  const own = t.startingIn[r];
  const cut = own.map((c) => {
    let k = 0;
    let h = 0;
    while (k < c.lines.length && h + c.lines[k].height <= room + 0.01) h += c.lines[k++].height;
    return k;
  });
  // Nothing moves (all fits) or some cell cannot show even its first line: no split.
  if (own.every((c, i) => cut[i] >= c.lines.length) || own.some((c, i) => c.lines.length > 0 && cut[i] === 0)) return false;
  for (const c of t.cells) if (c.row > r) c.row++;
  const rest: PlacedCell[] = own.map((c, i) => {
    const lines = c.lines.slice(cut[i]);
    c.lines = c.lines.slice(0, cut[i]);
    c.contentHeight = c.lines.reduce((a, l) => a + l.height, 0) + 2 * PAD_Y + BORDER;
    // The continuation reads from the top, as a split cell does in Word.
    return { ...c, row: r + 1, lines, contentHeight: lines.reduce((a, l) => a + l.height, 0) + 2 * PAD_Y + BORDER };
  });
  const empty = lineHeightOf(0) + 2 * PAD_Y + BORDER;
  t.cells.splice(t.cells.indexOf(own[own.length - 1]) + 1, 0, ...rest);
  t.startingIn.splice(r + 1, 0, rest);
  t.keepTogether.splice(r + 1, 0, t.keepTogether[r]);
  t.heights.splice(r + 1, 0, Math.max(empty, ...rest.map((c) => c.contentHeight)));
  t.heights[r] = Math.max(empty, ...own.map((c) => c.contentHeight));
  return true;
}

export const rowsHeight = (t: TableLayout, from: number, to: number) => t.heights.slice(from, to).reduce((a, b) => a + b, 0);

/**
 * Data tables written straight as WordprocessingML, from the document model's tables.
 *
 * Why not the docx library's Table: a 500-division report has tens of thousands of cells, and
 * docx keeps several objects per XML element until it serializes, which took the renderer past
 * its memory budget (~450 MB, see test/bench/run.ts). A table is a small, regular piece of XML,
 * so it is written here as a string and spliced into word/document.xml after packing
 * (render.ts). Formatting still comes from the paragraph styles render.ts defines.
 */
import type { TableBlock, TableCell } from '../document/model';
import { columnWidths, formatCell, isSttColumn, tableModel } from '../document/table';
import type { AggregatedTable } from '../domain/report';
import type { NumberStyle, Table as TableDef } from '../domain/template';

export { columnWidths, formatCell, isSttColumn };

export type AlignCode = 'L' | 'C' | 'R';

const ALIGN: Record<TableCell['align'], AlignCode> = { left: 'L', center: 'C', right: 'R', justify: 'L' };

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

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"';

/** A template table with its data, through the model (kept for callers that hold no model). */
export function tableXml(def: TableDef, data: AggregatedTable | undefined, o: TableXmlOptions): string {
  const block = tableModel(def, data, { width: o.width, fontSizePt: o.size / 2, numberStyle: o.numberStyle });
  return tableBlockXml(block, o);
}

/**
 * The model's table as a w:tbl. The model leaves covered cells out of their rows (as HTML does);
 * Word wants a continuing vMerge cell in every row a row span crosses, so the grid is walked here.
 */
export function tableBlockXml(table: TableBlock, o: Pick<TableXmlOptions, 'cellStyle' | 'font'>): string {
  const widths = table.columnWidths;
  const size = table.fontSizePt * 2;
  const width = widths.reduce((a, b) => a + b, 0);
  const rFonts = `<w:rPr><w:rFonts w:ascii="${o.font}" w:hAnsi="${o.font}" w:eastAsia="${o.font}" w:cs="${o.font}"/></w:rPr>`;
  const out: string[] = [];

  const cell = (text: string, at: number, c: TableCell, vMerge?: 'restart' | 'continue') => {
    const span = c.colSpan ?? 1;
    const align = ALIGN[c.align];
    const style = o.cellStyle(size, align, c.bold ?? false);
    let pr = `<w:tcW w:w="${widths.slice(at, at + span).reduce((a, b) => a + b, 0)}" w:type="dxa"/>`;
    if (span > 1) pr += `<w:gridSpan w:val="${span}"/>`;
    if (vMerge === 'restart') pr += '<w:vMerge w:val="restart"/>';
    if (vMerge === 'continue') pr += '<w:vMerge/>';
    // Names stay top-aligned as typed; figures and headers are centred vertically.
    if (align !== 'L') pr += '<w:vAlign w:val="center"/>';
    out.push(`<w:tc><w:tcPr>${pr}</w:tcPr>`);
    // Model text is clean already (NFC, no XML-disallowed characters).
    const lines = text === '' ? [''] : text.split(/\r\n|\r|\n/);
    for (const line of lines) {
      out.push(`<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>`);
      if (line) out.push(`<w:r>${rFonts}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r>`);
      out.push('</w:p>');
    }
    out.push('</w:tc>');
  };

  out.push(
    '<w:tbl><w:tblPr>',
    `<w:tblW w:w="${width}" w:type="dxa"/>`,
    `<w:tblBorders><w:top ${BORDER}/><w:left ${BORDER}/><w:bottom ${BORDER}/><w:right ${BORDER}/><w:insideH ${BORDER}/><w:insideV ${BORDER}/></w:tblBorders>`,
    '<w:tblLayout w:type="fixed"/>',
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>',
    '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>',
    '</w:tblPr><w:tblGrid>',
    ...widths.map((w) => `<w:gridCol w:w="${w}"/>`),
    '</w:tblGrid>',
  );

  // Per grid column: the cell whose row span still covers it, and how many rows it has left.
  const covering: Array<{ cell: TableCell; rows: number; start: number } | undefined> = widths.map(() => undefined);
  for (const row of table.rows) {
    const trPr = `${row.keepTogether ? '<w:cantSplit/>' : ''}${row.header ? '<w:tblHeader/>' : ''}`;
    out.push(`<w:tr>${trPr ? `<w:trPr>${trPr}</w:trPr>` : ''}`);
    let next = 0;
    for (let at = 0; at < widths.length; ) {
      const cover = covering[at];
      if (cover && cover.rows > 0 && cover.start === at) {
        cell('', at, cover.cell, 'continue');
        cover.rows--;
        at += cover.cell.colSpan ?? 1;
        continue;
      }
      const c = row.cells[next++];
      if (!c) break;
      const rows = c.rowSpan ?? 1;
      cell(c.text, at, c, rows > 1 ? 'restart' : undefined);
      covering[at] = rows > 1 ? { cell: c, rows: rows - 1, start: at } : undefined;
      at += c.colSpan ?? 1;
    }
    out.push('</w:tr>');
  }
  out.push('</w:tbl>');
  return out.join('');
}

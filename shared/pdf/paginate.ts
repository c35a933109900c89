/**
 * Pagination: lays a flow of paragraphs, tables and fixed boxes onto A4 pages the way Word and
 * LibreOffice do for the .docx — a change of orientation starts a new page (a section break),
 * "keep with next" moves a heading or lead-in to the page of what it introduces, a paragraph
 * leaves no single line alone at a page foot or head (widow control), table rows never split and
 * header rows repeat on every page a table crosses.
 * Nothing is measured here: items arrive laid out (text.ts, table.ts) and are only placed.
 */
import { type Align, PAGE_MM } from '../document/model';
import { drawRows, rowsHeight, splitRow, type TableLayout } from './table';
import { drawLine, type Line, type Measure } from './text';

export const MM = 72 / 25.4;
export const A4_PT = { width: PAGE_MM.width * MM, height: PAGE_MM.height * MM };
export const MARGIN_PT = {
  top: PAGE_MM.margin.top * MM,
  bottom: PAGE_MM.margin.bottom * MM,
  left: PAGE_MM.margin.left * MM,
  right: PAGE_MM.margin.right * MM,
};
/** Text width of a page: 165 mm portrait, 252 mm landscape. */
export const textWidth = (landscape: boolean) => (landscape ? A4_PT.height : A4_PT.width) - MARGIN_PT.left - MARGIN_PT.right;

const EPS = 0.01;

interface Common {
  landscape: boolean;
  /** Starts a new page (an appendix), as an orientation change does. */
  pageBreakBefore?: boolean;
  before: number;
  after: number;
  keepNext: boolean;
}

export interface ParaItem extends Common {
  kind: 'para';
  lines: Line[];
  align: Align;
  width: number;
  /** From the left margin. */
  indent: number;
  /** All lines on one page (headings). */
  keepLines: boolean;
  /** No single line of the paragraph alone at the foot or head of a page. */
  widowControl: boolean;
}

export interface TableItem extends Common {
  kind: 'table';
  table: TableLayout;
}

/** Where a box was drawn: the page index and the page's height, for PDF (bottom-left) coordinates. */
export interface PageInfo {
  index: number;
  height: number;
}

export interface BoxItem extends Common {
  kind: 'box';
  height: number;
  draw(x: number, top: number, page: PageInfo): void;
}

export type FlowItem = ParaItem | TableItem | BoxItem;

export interface PageHooks {
  /** Called after a page is added: page numbers, draft footer. */
  onPage(index: number, landscape: boolean): void;
}

const linesHeight = (lines: Line[]) => lines.reduce((a, l) => a + l.height, 0);

/** Can the paragraph break across pages, and how many lines must stay together at each side. */
function minLines(p: ParaItem): number {
  if (p.keepLines) return p.lines.length;
  if (!p.widowControl) return 1;
  // Widow control: 2 at the foot and 2 at the head, so 3 lines or fewer never split.
  return p.lines.length <= 3 ? p.lines.length : 2;
}

function fullHeight(it: FlowItem): number {
  const body =
    it.kind === 'para' ? linesHeight(it.lines) : it.kind === 'table' ? rowsHeight(it.table, 0, it.table.heights.length) : it.height;
  return it.before + body + it.after;
}

/** Height an item needs to begin on a page (its first lines, or a table's header and first row). */
function startHeight(it: FlowItem): number {
  if (it.kind === 'para') return it.before + linesHeight(it.lines.slice(0, minLines(it)));
  if (it.kind === 'table') return it.before + rowsHeight(it.table, 0, Math.min(it.table.heights.length, it.table.headerRows + 1));
  return it.before + it.height;
}

export class Paginator {
  page = -1;
  landscape = false;
  y = 0;
  private pageTop = 0;
  private bottom = 0;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly m: Measure,
    private readonly hooks: PageHooks,
  ) {}

  private get capacity() {
    return this.pageHeight - MARGIN_PT.top - MARGIN_PT.bottom;
  }
  private get atTop() {
    return this.y <= this.pageTop + EPS;
  }
  private get remaining() {
    return this.bottom - this.y;
  }
  private get pageHeight() {
    return this.landscape ? A4_PT.width : A4_PT.height;
  }

  newPage(landscape = this.landscape): void {
    this.doc.addPage({ size: 'A4', layout: landscape ? 'landscape' : 'portrait', margin: 0 });
    this.page++;
    this.landscape = landscape;
    this.pageTop = MARGIN_PT.top;
    this.bottom = this.pageHeight - MARGIN_PT.bottom;
    this.y = this.pageTop;
    this.hooks.onPage(this.page, landscape);
  }

  /**
   * Places items 0…count-1 in order. Items are laid out on demand (`item(i)`) and forgotten once
   * placed, so a report of thousands of paragraphs never holds all its lines at once.
   */
  layout(count: number, item: (i: number) => FlowItem): void {
    const cache = new Map<number, FlowItem>();
    const get = (i: number) => {
      let it = cache.get(i);
      if (!it) {
        it = item(i);
        cache.set(i, it);
      }
      return it;
    };
    for (let i = 0; i < count; i++) {
      const it = get(i);
      cache.delete(i);
      if (this.page < 0 || it.landscape !== this.landscape || (it.pageBreakBefore && !this.atTop)) this.newPage(it.landscape);
      if (it.keepNext && !this.atTop) {
        const need = this.chainHeight(it, i, count, get);
        if (need > this.remaining + EPS && need <= this.capacity + EPS) this.newPage();
      }
      if (it.kind === 'para') this.placePara(it);
      else if (it.kind === 'table') this.placeTable(it);
      else this.placeBox(it);
    }
  }

  /** Everything kept together from item i: whole items while they keep with the next, then the start of the next. */
  private chainHeight(first: FlowItem, i: number, count: number, get: (i: number) => FlowItem): number {
    let need = 0;
    let k = i;
    let last = first;
    // The chain stops at an orientation change: that page break separates them anyway.
    for (;;) {
      need += fullHeight(last);
      k++;
      if (k >= count) return need - last.after;
      const next = get(k);
      if (next.landscape !== first.landscape) return need - last.after;
      if (!next.keepNext) return need + startHeight(next);
      last = next;
    }
  }

  private placePara(p: ParaItem): void {
    const x = MARGIN_PT.left + p.indent;
    const min = minLines(p);
    this.y += p.before;
    let k = 0;
    const n = p.lines.length;
    while (k < n) {
      let fit = 0;
      let h = 0;
      while (k + fit < n && this.y + h + p.lines[k + fit].height <= this.bottom + EPS) h += p.lines[k + fit++].height;
      if (k + fit < n) {
        if (p.widowControl && !p.keepLines && n - k - fit < 2 && min < n) fit = n - k - 2; // leave two for the next page
        if (fit < (k === 0 ? min : 1) || fit <= 0) {
          if (!this.atTop) {
            this.newPage();
            continue;
          }
          fit = Math.max(1, fit); // taller than a page: break it anyway
        }
      }
      for (let j = k; j < k + fit; j++) {
        drawLine(this.m, p.lines[j], x, this.y, p.width, p.align);
        this.y += p.lines[j].height;
      }
      k += fit;
      if (k < n) this.newPage();
    }
    this.y += p.after;
  }

  private placeTable(t: TableItem): void {
    const tab = t.table;
    let n = tab.heights.length;
    const H = tab.headerRows;
    this.y += t.before;
    if (this.y + rowsHeight(tab, 0, Math.min(n, H + 1)) > this.bottom + EPS && !this.atTop) this.newPage();
    const x = MARGIN_PT.left;
    let r = 0;
    let first = true;
    while (r < n) {
      if (!first && H > 0) this.y += drawRows(this.doc, this.m, tab, x, this.y, 0, H);
      let end = Math.min(n, first ? H + 1 : r + 1);
      // The row this page must take is taller than what is left (taller than a page): split it.
      const room = (to: number) => this.bottom - this.y - rowsHeight(tab, r, to);
      if (room(end) < -EPS && splitRow(tab, end - 1, room(end - 1))) n = tab.heights.length;
      while (end < n && room(end + 1) >= -EPS) end++;
      // A row free to break (not kept together) fills the page foot, as in Word and LibreOffice.
      if (end < n && !tab.keepTogether[end] && splitRow(tab, end, room(end))) {
        n = tab.heights.length;
        end++;
      }
      this.y += drawRows(this.doc, this.m, tab, x, this.y, r, end);
      r = end;
      first = false;
      if (r < n) this.newPage();
    }
    this.y += t.after;
  }

  private placeBox(b: BoxItem): void {
    if (this.y + b.before + b.height > this.bottom + EPS && !this.atTop) this.newPage();
    this.y += b.before;
    b.draw(MARGIN_PT.left, this.y, { index: this.page, height: this.pageHeight });
    this.y += b.height + b.after;
  }
}

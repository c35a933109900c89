/**
 * The HTML rendition of the document model: what approvers and compilers read in the browser
 * (the decision page, the draft and released views). An escaped fragment, styled by the page
 * stylesheet (shared/http/style.ts, classes "doc-…"): the header's two columns stack on a phone
 * and a wide table scrolls inside its own container, so the page never scrolls sideways.
 */
import type { DocumentModel, ParagraphBlock, Run, TableBlock, TableCell } from './model';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.normalize('NFC').replace(/[&<>"']/g, (c) => ESCAPES[c]);

export interface DocumentHtmlOptions {
  /** Level of the title's heading (the section headings take the next one), to fit the page's outline. Default 2. */
  headingLevel?: number;
}

function runsHtml(runs: Run[]): string {
  return runs
    .map((r) => {
      let h = esc(r.text);
      if (r.italic) h = `<em>${h}</em>`;
      if (r.bold) h = `<strong>${h}</strong>`;
      return h;
    })
    .join('');
}

function paragraphHtml(p: ParagraphBlock, headingTag: string): string {
  if (p.role === 'spacer') return '';
  if (p.role === 'heading') return `<${headingTag} class="doc-h">${runsHtml(p.runs)}</${headingTag}>`;
  if (p.role === 'empty-section') return `<p class="doc-empty">${runsHtml(p.runs)}</p>`;
  return `<p class="doc-p">${runsHtml(p.runs)}</p>`;
}

const ALIGN_CLASS: Record<TableCell['align'], string> = { left: '', center: 'doc-c', right: 'doc-r', justify: '' };

function cellHtml(c: TableCell, tag: 'th' | 'td', scope?: string): string {
  const attrs: string[] = [];
  const classes = [ALIGN_CLASS[c.align], c.bold && tag === 'td' ? 'doc-b' : ''].filter(Boolean).join(' ');
  if (classes) attrs.push(`class="${classes}"`);
  if (scope) attrs.push(`scope="${scope}"`);
  if ((c.colSpan ?? 1) > 1) attrs.push(`colspan="${c.colSpan}"`);
  if ((c.rowSpan ?? 1) > 1) attrs.push(`rowspan="${c.rowSpan}"`);
  const text = esc(c.text).replace(/\r\n|\r|\n/g, '<br>');
  return `<${tag}${attrs.length ? ` ${attrs.join(' ')}` : ''}>${text}</${tag}>`;
}

/** Twips at which a table no longer fits a phone's width: it keeps its proportions and scrolls. */
const twipsToRem = (twips: number) => Math.round((twips / 1440) * 6 * 10) / 10; // ~6 rem per inch of paper

function tableHtml(t: TableBlock, index: number): string {
  const total = t.columnWidths.reduce((a, b) => a + b, 0) || 1;
  const cols = t.columnWidths.map((w) => `<col style="width:${((w / total) * 100).toFixed(2)}%">`).join('');
  const head = t.rows.filter((r) => r.header);
  const body = t.rows.filter((r) => !r.header);
  const headRows = head
    .map((r) => {
      // A row of column numbers (1, 2, 3 …) labels nothing: plain cells, not headers.
      const numbers = r.cells.every((c, i) => c.text === String(i + 1));
      return `<tr>${r.cells.map((c) => (numbers ? cellHtml(c, 'td') : cellHtml(c, 'th', (c.colSpan ?? 1) > 1 ? 'colgroup' : 'col'))).join('')}</tr>`;
    })
    .join('');
  const bodyRows = body
    .map((r) => {
      if (!r.total) return `<tr>${r.cells.map((c) => cellHtml(c, 'td')).join('')}</tr>`;
      const [label, ...rest] = r.cells;
      return `<tr class="doc-total">${label ? cellHtml(label, 'th', 'row') : ''}${rest.map((c) => cellHtml(c, 'td')).join('')}</tr>`;
    })
    .join('');
  const id = `doc-bang-${index + 1}`;
  return (
    `<div class="doc-table-wrap" role="region" aria-labelledby="${id}" tabindex="0">` +
    `<table class="doc-table" style="min-width:${Math.min(60, twipsToRem(total))}rem;font-size:${t.fontSizePt >= 12 ? '.95' : '.85'}em">` +
    `<caption id="${id}" class="doc-caption">${esc(t.label)}</caption><colgroup>${cols}</colgroup>` +
    `${headRows ? `<thead>${headRows}</thead>` : ''}<tbody>${bodyRows}</tbody></table></div>`
  );
}

export function documentHtml(model: DocumentModel, o: DocumentHtmlOptions = {}): string {
  const level = Math.min(5, Math.max(1, o.headingLevel ?? 2));
  const out: string[] = [];
  const upper = (s: string) => esc(s.toLocaleUpperCase('vi-VN'));
  const draft = model.mode === 'draft' ? model.draft : undefined;
  out.push(`<article class="doc${draft ? ' doc-is-draft' : ''}" lang="vi">`);
  if (draft) {
    out.push(
      `<p class="doc-draft"><span class="doc-draft-mark">DỰ THẢO</span> <span class="doc-draft-version">Dự thảo lần ${draft.version} - không phải văn bản ban hành</span></p>`,
    );
    if (draft.gapNote) out.push(`<p class="doc-gap" role="note">Lưu ý: ${esc(draft.gapNote)}</p>`);
  }
  const h = model.header;
  out.push(
    '<div class="doc-header">',
    `<div class="doc-header-left"><p class="doc-parent">${upper(h.parentBody)}</p><p class="doc-agency">${upper(h.agency)}</p><p class="doc-number">${esc(h.numberLine)}</p></div>`,
    '<div class="doc-header-right"><p class="doc-nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p class="doc-motto">Độc lập - Tự do - Hạnh phúc</p>',
    `<p class="doc-date">${esc(h.dateLine)}</p></div>`,
    '</div>',
  );
  out.push(
    `<h${level} class="doc-title"><span class="doc-kind">${esc(model.title.kind)}</span> <span class="doc-subject">${esc(model.title.subject)}</span></h${level}>`,
    `<p class="doc-addressee">${esc(model.addressee)}</p>`,
  );
  const headingTag = `h${level + 1}`;
  let tables = 0;
  for (const { block } of model.body) {
    out.push(block.kind === 'paragraph' ? paragraphHtml(block, headingTag) : tableHtml(block, tables++));
  }
  const s = model.signature;
  out.push(
    '<div class="doc-sign">',
    `<div class="doc-recipients"><p class="doc-recipients-head"><strong><em>Nơi nhận:</em></strong></p>${s.recipients.map((r) => `<p>${esc(r)}</p>`).join('')}</div>`,
    `<div class="doc-signer">${s.lines.map((l) => `<p class="doc-sign-line">${esc(l)}</p>`).join('')}`,
    `<div class="doc-sign-space" style="height:${Math.max(1, Math.min(6, s.spaceCm))}cm" aria-hidden="true"></div>`,
    s.signer ? `<p class="doc-signer-name">${esc(s.signer)}</p>` : '',
    '</div></div>',
  );
  for (const a of model.annexes ?? []) {
    out.push(
      `<section class="doc-annex"><p class="doc-annex-label">${esc(a.label)}</p><p class="doc-annex-title">${esc(a.title)}</p><p class="doc-annex-note">${esc(a.note)}</p>`,
      ...a.blocks.map((b) => (b.kind === 'paragraph' ? paragraphHtml(b, headingTag) : tableHtml(b, tables++))),
      '</section>',
    );
  }
  out.push('</article>');
  return out.join('');
}

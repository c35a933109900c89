/**
 * The body of the report: template sections with their text, narrative and table blocks.
 * Empty parts read as the template decides: a narrative nobody wrote and a table without rows are
 * left out (or print the block's ifEmpty text), a sentence whose figures are all zero follows its
 * ifZero, a lead-in goes with what it introduces, and a heading with nothing under it disappears
 * (a draft keeps it, marked, so reviewers see the gap).
 */
import { figuresIn } from '../domain/placeholders';
import type { AggregatedReport } from '../domain/report';
import type { Block, ReportTemplate, Section } from '../domain/template';
import { cleanText } from '../format/vi';
import { markupRuns, plainRuns } from './markup';
import type { ParagraphBlock, Placed, TableBlock } from './model';
import { LANDSCAPE_TEXT_TWIPS, PORTRAIT_TEXT_TWIPS, tableFontPt, tableModel } from './table';

export type BulletStyle = 'body' | 'dash' | 'plus';

const DASH = /^[-–—•]\s+/;
const PLUS = /^\+\s+/;

function paragraph(role: ParagraphBlock['role'], runs: ParagraphBlock['runs'], keepWithNext = false): ParagraphBlock {
  return keepWithNext ? { kind: 'paragraph', role, runs, keepWithNext: true } : { kind: 'paragraph', role, runs };
}

/**
 * Splits submitted or template text into paragraphs. Lines that already start with "-" or "+"
 * keep their own marker (a division may nest "+" items under a "-" item, as the seed does);
 * the first unmarked line takes the block's style, later unmarked lines are plain paragraphs.
 * keepNext: true keeps the last paragraph with what follows, 'all' keeps every one; a line ending
 * in ":" always keeps with what follows.
 */
export function textParagraphs(text: string, style: BulletStyle, keepNext: boolean | 'all' = false, runIn = ''): ParagraphBlock[] {
  const lines = cleanText(text)
    .split(/\r\n|\r|\n/)
    // Collapse runs of ordinary whitespace only: NBSP (as in "98,95 %") must survive.
    .map((l) => l.replace(/[ \t\f\v\u2000-\u200a\u3000]+/g, ' ').trim())
    .filter((l) => l.length > 0);
  return lines.map((line, i) => {
    let marker: BulletStyle = i === 0 ? style : 'body';
    let content = line;
    if (DASH.test(line)) {
      marker = 'dash';
      content = line.replace(DASH, '');
    } else if (PLUS.test(line)) {
      marker = 'plus';
      content = line.replace(PLUS, '');
    }
    const prefix = (i === 0 ? runIn : '') + (marker === 'dash' ? '- ' : marker === 'plus' ? '+ ' : '');
    // A line ending in ":" introduces what follows (a list, a table) and never ends a page without it.
    const keep = keepNext === 'all' || (keepNext && i === lines.length - 1) || /:$/.test(content);
    return paragraph('body', markupRuns(prefix + content), keep);
  });
}

type Level = 'roman' | 'arabic' | 'dotted' | 'letter' | 'other';

function sectionLevel(number: string): Level {
  if (/^[IVXLCDM]+$/.test(number)) return 'roman';
  if (/^\d+$/.test(number)) return 'arabic';
  if (/^\d+(\.\d+)+$/.test(number)) return 'dotted';
  if (/^[a-zđ]$/i.test(number)) return 'letter';
  return 'other';
}

/** "I. TITLE", "1. Title", "2.1. Title", "2.2.1. Title", "a) Title". */
export function headingText(number: string, title: string): string {
  const n = cleanText(number).trim();
  const level = sectionLevel(n);
  const t = level === 'roman' ? title.toLocaleUpperCase('vi-VN') : title;
  if (level === 'letter') return `${n}) ${t}`;
  if (level === 'other') return `${n} ${t}`;
  return `${n}. ${t}`;
}

export interface BodyContext {
  template: ReportTemplate;
  report: AggregatedReport;
  draft: boolean;
  /** Fills every kind of placeholder, warning about the unknown ones. */
  fill: (text: string, where: string) => string;
  warn: (message: string) => void;
  /** The report facts the compiler filled ({fact:id}), for optional parts that need them. */
  facts?: Record<string, string>;
  /** A run-in section number ("a) ") waiting for the section's first paragraph. */
  runIn?: string;
  /** Tables printed as appendices (template table.annex), in the order the body refers to them. */
  annexes: AnnexedTable[];
}

export interface AnnexedTable {
  /** "Phụ lục I". */
  label: string;
  title: string;
  table: TableBlock;
  landscape: boolean;
}

const ROMAN: Array<[number, string]> = [
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];

/** 1 → "I", 14 → "XIV": appendices are numbered in Roman numerals. */
export function romanNumeral(n: number): string {
  let out = '';
  let rest = n;
  for (const [v, r] of ROMAN) {
    while (rest >= v) {
      out += r;
      rest -= v;
    }
  }
  return out;
}

/** The run-in number for the next paragraph printed, once. */
function takeRunIn(ctx: BodyContext): string {
  const r = ctx.runIn ?? '';
  ctx.runIn = undefined;
  return r;
}

/** A text using {compare:…} prints only when both years' figures of every comparison exist. */
function comparisonsAvailable(text: string, ctx: Pick<BodyContext, 'template' | 'report'>): boolean {
  for (const m of text.matchAll(/\{compare:([A-Za-z][A-Za-z0-9_]*)\}/g)) {
    const c = ctx.template.comparisons.find((x) => x.id === m[1]);
    if (!c) continue; // an unknown one is shown as [?…] by fill
    const prev = ctx.report.previous?.indicators[c.indicator];
    const cur = ctx.report.indicators[c.indicator];
    if (typeof prev !== 'number' || typeof cur !== 'number') return false;
    if (c.kind === 'percent' && prev === 0 && cur !== 0) return false;
  }
  return true;
}

/** An innermost optional part "[[…]]" of a template text (no "[[" or "]]" inside). */
const OPTIONAL_PART = /\[\[((?:(?!\[\[|\]\]).)*)\]\]/s;

/**
 * Resolves the optional parts "[[…]]" of a template text, innermost first: a part prints only when
 * every {compare:…} in it has both years' figures and every {fact:…} in it is filled, so a
 * year-on-year bracket sits inside its sentence ("116/116 (giảm 02 thủ tục so với năm 2020 theo …)
 * thủ tục") and vanishes, alone, when the previous year is not on the system.
 */
export function resolveOptionalParts(text: string, ctx: Pick<BodyContext, 'template' | 'report' | 'facts'>): string {
  let out = text;
  for (let m = OPTIONAL_PART.exec(out); m; m = OPTIONAL_PART.exec(out)) {
    const inner = m[1];
    const factsFilled = [...inner.matchAll(/\{fact:([A-Za-z][A-Za-z0-9_]*)\}/g)].every((f) => Boolean(ctx.facts?.[f[1]]?.trim()));
    const keep = factsFilled && comparisonsAvailable(inner, ctx);
    out = out.slice(0, m.index) + (keep ? inner : '') + out.slice(m.index + m[0].length);
  }
  return out;
}

interface BlockOut {
  items: Placed[];
  /** Carries the report's content (a figure, an item, a table), not only fixed wording. */
  substantive: boolean;
  /** A table moved to an appendix: only its reference sentence stands here. */
  annexed?: boolean;
}

const portrait = (blocks: ParagraphBlock[]): Placed[] => blocks.map((block) => ({ block, landscape: false }));

function tableBlock(block: Extract<Block, { type: 'table' }>, where: string, ctx: BodyContext): BlockOut {
  const def = ctx.template.tables.find((t) => t.id === block.id);
  if (!def) {
    ctx.warn(`Mẫu báo cáo không có bảng "${block.id}" (${where}).`);
    return { items: portrait([paragraph('body', plainRuns(`[?bảng ${block.id}]`))]), substantive: true };
  }
  const data = ctx.report.tables[block.id];
  if (!data || data.rows.length === 0) {
    if (!data) ctx.warn(`Chưa có số liệu cho bảng "${def.label}".`);
    return textBlockOut(block.ifEmpty, where, ctx, 'body');
  }
  const landscape = def.landscape ?? false;
  const table = tableModel(def, data, {
    width: landscape ? LANDSCAPE_TEXT_TWIPS : PORTRAIT_TEXT_TWIPS,
    fontSizePt: def.fontSizePt ?? tableFontPt(def.columns.filter((c) => !c.hidden).length),
    numberStyle: ctx.template.numberStyle,
  });
  if (def.annex) {
    const label = `Phụ lục ${romanNumeral(ctx.annexes.length + 1)}`;
    // The title prints in capitals, as Decree 30 sets an appendix's title.
    ctx.annexes.push({ label, title: cleanText(ctx.fill(def.annex.title, where)).toLocaleUpperCase('vi-VN'), table, landscape });
    const reference = ctx.fill(def.annex.reference.replaceAll('{annex}', label), where);
    return { items: portrait(textParagraphs(reference, 'body')), substantive: true, annexed: true };
  }
  return {
    items: [
      { block: table, landscape },
      // Space after a table, like a clerk's empty line; stays on the table's page.
      { block: paragraph('spacer', []), landscape },
    ],
    substantive: true,
  };
}

/** The text an empty item or all-zero sentence prints instead, if the template gives one. */
function textBlockOut(text: string | undefined, where: string, ctx: BodyContext, style: BulletStyle, first = false): BlockOut {
  if (text === undefined || text === 'omit') return { items: [], substantive: false };
  return { items: portrait(textParagraphs(ctx.fill(text, where), style, false, first ? takeRunIn(ctx) : '')), substantive: true };
}

function buildBlocks(blocks: Block[], where: string, ctx: BodyContext): BlockOut {
  // Narratives and tables first: a lead-in depends on whether what follows it prints.
  // A run-in section number goes to the first block's first paragraph.
  const outs: Array<BlockOut | null> = blocks.map((block, b) => {
    if (block.type === 'narrative') {
      const items = ctx.report.narratives[block.id] ?? [];
      if (items.length === 0) return textBlockOut(block.ifEmpty, where, ctx, block.style ?? 'dash', b === 0);
      const paras = items.flatMap((item, k) =>
        textParagraphs(item, block.style ?? 'dash', false, k === 0 && b === 0 ? takeRunIn(ctx) : ''),
      );
      return { items: portrait(paras), substantive: true };
    }
    if (block.type === 'table') return tableBlock(block, where, ctx);
    return null;
  });
  for (let i = blocks.length - 1; i >= 0; i--) {
    const original = blocks[i];
    if (original.type !== 'text') continue;
    const block = { ...original, text: resolveOptionalParts(original.text, ctx) };
    const next = outs[i + 1];
    const nextBlock = blocks[i + 1];
    // A lead-in introduces nothing when its table is absent or moved to an appendix (its reference stands there).
    if ((block.leadIn && (!next || next.items.length === 0)) || ((block.leadIn || /:\s*$/.test(block.text)) && next?.annexed)) {
      outs[i] = { items: [], substantive: false };
      continue;
    }
    if (!comparisonsAvailable(block.text, ctx)) {
      outs[i] = { items: [], substantive: false };
      continue;
    }
    // For "all zero" a ratio counts by its numerator: "0 hồ sơ, 0%" of a non-zero total is still nothing.
    const figures = figuresIn(
      block.text.replace(/\{ratio:([A-Za-z0-9_]+)\}/g, (_m, id: string) => {
        const r = ctx.template.ratios.find((x) => x.id === id);
        return r ? `{${r.numerator}}` : `{ratio:${id}}`;
      }),
      ctx.template,
    );
    const allZero = figures.length > 0 && figures.every((id) => !ctx.report.indicators[id]);
    if (allZero && block.ifZero !== undefined) {
      outs[i] = textBlockOut(block.ifZero, where, ctx, block.style ?? 'body', i === 0);
      continue;
    }
    // A lead-in sentence travels with its table, onto the landscape page if need be.
    const nextTable =
      nextBlock?.type === 'table' && next?.items.length && !next.annexed
        ? ctx.template.tables.find((t) => t.id === nextBlock.id)
        : undefined;
    // A lead-in (or a sentence ending in ":") never ends a page: it keeps with what it introduces.
    let text = ctx.fill(block.text, where);
    let keep = Boolean(nextTable) || block.leadIn || /:\s*$/.test(block.text);
    // Items that run on in this paragraph leave their own block (never split from their sentence).
    if (nextBlock?.type === 'narrative' && nextBlock.runOn && next?.items.length) {
      const items = (ctx.report.narratives[nextBlock.id] ?? []).map((item) => item.replace(/^[-–—+•]\s*/, '').trim());
      const rest = nextBlock.runOn === 'sentence' ? items.slice(1) : [];
      text = `${text} ${nextBlock.runOn === 'sentence' ? items[0] : runOnList(items)}`;
      outs[i + 1] = { items: portrait(rest.flatMap((item) => textParagraphs(item, nextBlock.style ?? 'dash'))), substantive: true };
      keep = Boolean(nextTable) || (rest.length > 0 && keep);
    }
    // A text that continues the item before joins its paragraph: one item, never split from its figures.
    const prevBlock = blocks[i - 1];
    const before = outs[i - 1];
    const lastItem = before?.items.at(-1)?.block;
    if (block.continues && prevBlock?.type === 'narrative' && before?.substantive && lastItem?.kind === 'paragraph') {
      const [first, ...more] = textParagraphs(text, 'body');
      const runs = [...lastItem.runs];
      const end = runs[runs.length - 1];
      if (end) runs[runs.length - 1] = { ...end, text: `${end.text.trimEnd().replace(/[.;,]+$/, '')}; ` };
      const joined: ParagraphBlock = { ...lastItem, runs: [...runs, ...(first?.runs ?? [])] };
      outs[i - 1] = { items: [...before.items.slice(0, -1), { block: joined, landscape: false }, ...portrait(more)], substantive: true };
      outs[i] = { items: [], substantive: figures.length > 0 };
      continue;
    }
    const paras = textParagraphs(text, block.style ?? 'body', keep, i === 0 ? takeRunIn(ctx) : '');
    outs[i] = { items: paras.map((p) => ({ block: p, landscape: nextTable?.landscape ?? false })), substantive: figures.length > 0 };
  }
  const done = outs.filter((o): o is BlockOut => o !== null);
  return { items: done.flatMap((o) => o.items), substantive: done.some((o) => o.substantive) };
}

/** "(1) first; (2) second." — items run on after a lead-in, their own final stops dropped. */
function runOnList(items: string[]): string {
  const body = items.map((item, k) => `(${k + 1}) ${item.replace(/[.;]+$/, '')}`).join('; ');
  return `${body}.`;
}

/** A section's heading and content, or nothing when nothing under it carries content. */
export function buildSection(s: Section, path: string, ctx: BodyContext): Placed[] {
  const where = `mục ${path}`;
  // Run-in: "a) " opens the first paragraph instead of a heading the report does not have.
  ctx.runIn = s.runIn ? headingText(s.number, '').trimEnd().concat(' ') : undefined;
  const own = buildBlocks(s.blocks ?? [], where, ctx);
  const runInUsed = s.runIn === true && ctx.runIn === undefined;
  ctx.runIn = undefined;
  const children = (s.children ?? []).map((c) => buildSection(c, `${path}.${c.number}`, ctx));
  const heading: Placed = {
    block: paragraph('heading', markupRuns(cleanText(headingText(s.number, ctx.fill(s.title, where)))), true),
    landscape: false,
  };
  if (own.substantive || children.some((c) => c.length > 0)) return [...(runInUsed ? [] : [heading]), ...own.items, ...children.flat()];
  if (!ctx.draft) return [];
  // A draft keeps the heading of an empty section, marked, so reviewers see the gap.
  const marked = children.flat();
  if ((s.children ?? []).length === 0)
    marked.push({ block: paragraph('empty-section', plainRuns('(Chưa có nội dung)', true)), landscape: false });
  return [heading, ...marked];
}

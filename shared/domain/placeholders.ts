import { ORG_FIELDS } from '../config/schema';
import { DEFAULT_NUMBER_STYLE, formatComparison, formatCountStyled, formatFraction, formatPercent } from '../format/vi';
import type { AggregatedReport } from './report';
import type { ReportTemplate, Section } from './template';

/**
 * Placeholders in template text (blocks, section titles, preamble, closing, subject):
 *   {indicatorId}             → "16.075"
 *   {ratio:ratioId}           → "98,95 %"
 *   {fraction:numId/denId}    → "05/07" (counts below 10 get a leading zero)
 *   {period}                  → "năm 2021" (the period label)
 *   {year} {nextYear}         → "2021" / "2022"
 *   {org:field}               → a text of the organization: agencyName, province, sector, website …
 *                               (ORG_FIELDS) or one of organization.texts declared in template.organizationTexts
 *   {compare:id}              → "tăng 12,5% so với cùng kỳ năm 2020" (template.comparisons)
 *   {fact:id}                 → a report fact the compiler filled at compile start (template.reportFacts)
 * Text blocks may hold optional parts "[[…]]" (nestable): a part prints only when every {compare:…}
 * in it has both years' figures and every {fact:…} in it is filled (shared/document/body.ts).
 * This module holds the syntax (one parser) and fills it: fillOrganizationAndFacts, then fillPlaceholders
 * and templateProblems() checks that a template's placeholders all resolve.
 */
/** The one placeholder syntax: anything between braces without braces or whitespace inside. */
const PLACEHOLDER = /\{([^{}\s]+)\}/g;

/** Every placeholder name a text uses, as written inside the braces: "id", "ratio:id", "fraction:a/b". */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The text with each placeholder replaced by what `fill` returns for its name. */
export function replacePlaceholders(text: string, fill: (name: string) => string): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => fill(name));
}

const PERIOD_PLACEHOLDERS = ['period', 'year', 'nextYear'] as const;

/** Every text of a template that may hold placeholders, in document order. */
export function templateTexts(template: ReportTemplate): string[] {
  const texts: string[] = [template.subject, ...template.preamble];
  const walk = (s: Section) => {
    texts.push(s.title);
    for (const b of s.blocks) {
      if (b.type === 'text') texts.push(b.text, ...(b.ifZero && b.ifZero !== 'omit' ? [b.ifZero] : []));
      else if (b.ifEmpty && b.ifEmpty !== 'omit') texts.push(b.ifEmpty);
    }
    s.children.forEach(walk);
  };
  template.sections.forEach(walk);
  texts.push(template.closing);
  return texts;
}

/**
 * Fills {org:…} and {fact:…}; figures and periods are left for fillPlaceholders (below).
 * An unknown or empty organization text, or a missing required fact, stays visible as "[?org:x]".
 * A missing optional fact reads as nothing.
 */
export function fillOrganizationAndFacts(
  text: string,
  org: (key: string) => string | undefined,
  facts: Record<string, string>,
  template: ReportTemplate,
): { text: string; unknown: string[] } {
  const unknown: string[] = [];
  // An empty optional fact takes the space before it along: "công việc {fact:note}:" → "công việc:".
  const DROPPED = '\uE000'; // a private-use character no template text contains
  const filled = replacePlaceholders(text, (name) => {
    const [kind, id = ''] = name.split(':', 2);
    if (kind === 'org') {
      const v = org(id);
      if (v !== undefined) return v;
    } else if (kind === 'fact') {
      const v = Object.hasOwn(facts, id) ? facts[id] : undefined;
      if (v?.trim()) return v.trim();
      const decl = template.reportFacts.find((f) => f.id === id);
      if (decl && !decl.required) return DROPPED;
    } else {
      return `{${name}}`; // figures and periods: fillPlaceholders
    }
    unknown.push(`${kind}:${id}`);
    return `[?${kind}:${id}]`;
  });
  const out = filled.replace(/ ?\uE000/g, '');
  return { text: out, unknown };
}

/** Problems in a template that the schema cannot see: dangling ids, unknown owners, unused or reused narratives. */
export function templateProblems(template: ReportTemplate, divisionIds: string[]): string[] {
  const problems: string[] = [];
  const ind = new Set(template.indicators.map((i) => i.id));
  const rat = new Set(template.ratios.map((r) => r.id));
  const tab = new Set(template.tables.map((t) => t.id));
  const nar = new Set(template.narratives.map((n) => n.id));
  const divs = new Set(divisionIds);
  const allIds = [...template.indicators, ...template.ratios, ...template.tables, ...template.narratives].map((x) => x.id);
  for (const id of new Set(allIds)) {
    if (allIds.filter((x) => x === id).length > 1) problems.push(`id "${id}" is used more than once`);
  }
  const roles = new Set(template.roles.map((r) => r.id));
  for (const x of [...template.indicators, ...template.tables, ...template.narratives]) {
    for (const o of x.owners) if (!divs.has(o) && !roles.has(o)) problems.push(`${x.id}: unknown owner ${o}`);
  }
  for (const r of template.ratios) {
    for (const o of [r.numerator, r.denominator]) if (!ind.has(o)) problems.push(`ratio ${r.id}: unknown indicator ${o}`);
  }
  for (const c of template.comparisons) if (!ind.has(c.indicator)) problems.push(`comparison ${c.id}: unknown indicator ${c.indicator}`);
  for (const r of template.rules) {
    const ops = r.kind === 'sumEquals' ? [...r.parts, r.total] : [...r.left, r.right];
    for (const o of ops) if (!ind.has(o)) problems.push(`rule ${r.id}: unknown indicator ${o}`);
  }
  for (const t of template.tables) {
    const cols = new Map(t.columns.map((c) => [c.id, c]));
    if (!t.columns.some((c) => c.type === 'text')) problems.push(`table ${t.id}: no text column to key rows`);
    for (const c of t.columns) {
      if (c.type === 'ratio' && (!c.numerator || !c.denominator || !cols.has(c.numerator) || !cols.has(c.denominator))) {
        problems.push(`table ${t.id}: ratio column ${c.id} needs numerator and denominator columns`);
      }
      if (c.indicator && !ind.has(c.indicator)) problems.push(`table ${t.id}: column ${c.id} links unknown indicator ${c.indicator}`);
    }
    for (const r of t.rules) {
      const ops = r.kind === 'sumEquals' ? [...r.parts, r.total] : [...r.left, r.right];
      for (const o of ops) if (cols.get(o)?.type !== 'integer') problems.push(`table ${t.id}: rule ${r.id} needs integer column ${o}`);
    }
  }
  const used = new Map<string, number>();
  const texts = templateTexts(template);
  const walk = (s: ReportTemplate['sections'][number]) => {
    for (const b of s.blocks) {
      if (b.type !== 'text') used.set(`${b.type}:${b.id}`, (used.get(`${b.type}:${b.id}`) ?? 0) + 1);
      if (b.type === 'narrative' && !nar.has(b.id)) problems.push(`block: unknown narrative ${b.id}`);
      if (b.type === 'table' && !tab.has(b.id)) problems.push(`block: unknown table ${b.id}`);
    }
    s.children.forEach(walk);
  };
  template.sections.forEach(walk);
  for (const id of nar)
    if (used.get(`narrative:${id}`) !== 1) problems.push(`narrative ${id} is placed ${used.get(`narrative:${id}`) ?? 0} times`);
  for (const id of tab) if (used.get(`table:${id}`) !== 1) problems.push(`table ${id} is placed ${used.get(`table:${id}`) ?? 0} times`);
  for (const text of texts) {
    // Optional parts "[[…]]" must pair up, or a bracket would print as typed.
    let depth = 0;
    for (const mark of text.match(/\[\[|\]\]/g) ?? []) {
      depth += mark === '[[' ? 1 : -1;
      if (depth < 0) break;
    }
    if (depth !== 0) problems.push(`unbalanced optional part "[[…]]" in: ${text.slice(0, 60)}`);
    for (const ph of placeholdersIn(text)) {
      const [kind, arg] = ph.includes(':') ? ph.split(':') : [ph, undefined];
      const ok =
        arg === undefined
          ? (PERIOD_PLACEHOLDERS as readonly string[]).includes(kind) || ind.has(kind)
          : kind === 'ratio'
            ? rat.has(arg)
            : kind === 'org'
              ? (ORG_FIELDS as readonly string[]).includes(arg) || template.organizationTexts.some((t) => t.id === arg)
              : kind === 'fact'
                ? template.reportFacts.some((f) => f.id === arg)
                : kind === 'compare'
                  ? template.comparisons.some((c) => c.id === arg)
                  : kind === 'fraction' && arg.split('/').length === 2 && arg.split('/').every((x) => ind.has(x));
      if (!ok) problems.push(`placeholder {${ph}} does not resolve`);
    }
  }
  return problems;
}

/** Indicator ids a template text prints: {id}, {fraction:a/b}, and the operands of {ratio:r}. */
export function figuresIn(text: string, template: ReportTemplate): string[] {
  const ids = new Set(template.indicators.map((i) => i.id));
  return placeholdersIn(text).flatMap((ph) => {
    const [kind, arg] = ph.includes(':') ? ph.split(':') : [ph, undefined];
    if (arg === undefined) return ids.has(kind) ? [kind] : [];
    if (kind === 'fraction') return arg.split('/').filter((x) => ids.has(x));
    if (kind === 'ratio') {
      const r = template.ratios.find((x) => x.id === arg);
      return r ? [r.numerator, r.denominator] : [];
    }
    return [];
  });
}

export interface FillResult {
  text: string;
  /** Placeholders that did not resolve, as written inside the braces; printed as "[?…]". */
  unknown: string[];
  /** {compare:…} placeholders without both figures: the caller leaves the sentence out. */
  missingComparisons?: string[];
}

/**
 * Resolves placeholders in template text:
 * - `{indicatorId}` → the figure ("16.075")
 * - `{ratio:ratioId}` → the percentage ("98,95 %")
 * - `{fraction:numId/denId}` → "05/07"
 * - `{period}` → period label ("năm 2021"), `{year}` → 2021, `{nextYear}` → 2022
 * - `{compare:comparisonId}` → "tăng 12,5% so với cùng kỳ năm 2020" (template.comparisons; needs
 *   report.previous — without it the placeholder is listed in `missingComparisons`, not `unknown`)
 * Numbers follow template.numberStyle when a template is given.
 * Anything else stays visible as "[?name]" and is listed in `unknown`, so a typo in a
 * template shows up in the draft instead of silently vanishing.
 */
export function fillPlaceholders(text: string, report: AggregatedReport, template?: ReportTemplate): FillResult {
  const unknown: string[] = [];
  const indicator = (id: string): number | undefined => {
    const v = report.indicators[id];
    return typeof v === 'number' ? v : undefined;
  };
  const style = template?.numberStyle ?? DEFAULT_NUMBER_STYLE;
  const missingComparisons: string[] = [];

  const out = replacePlaceholders(text, (name) => {
    const miss = () => {
      unknown.push(name);
      return `[?${name}]`;
    };
    if (name === 'period') return report.period.label;
    if (name === 'year') return String(report.period.year);
    if (name === 'nextYear') return String(report.period.year + 1);
    if (name.startsWith('ratio:')) {
      const id = name.slice('ratio:'.length);
      if (!(id in report.ratios)) return miss();
      return formatPercent(report.ratios[id], style);
    }
    if (name.startsWith('compare:')) {
      const id = name.slice('compare:'.length);
      const c = template?.comparisons.find((x) => x.id === id);
      if (!c) return miss();
      const prev = report.previous;
      const text = prev ? formatComparison(indicator(c.indicator), prev.indicators[c.indicator], c, prev.year, style) : undefined;
      if (text === undefined) missingComparisons.push(name);
      return text ?? '';
    }
    if (name.startsWith('fraction:')) {
      const [a, b, ...rest] = name.slice('fraction:'.length).split('/');
      const na = a ? indicator(a) : undefined;
      const nb = b ? indicator(b) : undefined;
      if (rest.length || na === undefined || nb === undefined) return miss();
      return formatFraction(na, nb);
    }
    // An indicator nobody submitted stays a visible gap, never a silent zero.
    const v = indicator(name);
    return v !== undefined ? formatCountStyled(v, style) : miss();
  });
  return missingComparisons.length ? { text: out, unknown, missingComparisons } : { text: out, unknown };
}

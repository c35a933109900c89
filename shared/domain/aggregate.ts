import type { Organization } from '../config/schema';
import { percent } from './format';
import { organizationForReportType } from './ownership';
import { deadlineEndMs, quarterDeadline } from './periods';
import { figuresIn, templateTexts } from './placeholders';
import type { AggregatedReport, AggregatedTable, CellValue, DivisionStatus, PeriodInfo, PreviousFigures, ReportFinding } from './report';
import type { Row, Submission } from './submission';
import type { Column, ReportTemplate, Table } from './template';

/**
 * Aggregates the divisions' quarterly submissions into one period's report.
 * Pure, deterministic and independent of the order of `submissions`:
 * - only the latest submission per (division, quarter) counts, and only quarters in the period;
 * - "sum" indicators add up over divisions and quarters, "last" ones take each division's latest quarter;
 * - ratios are always recomputed from the summed counts (half up, 2 decimals, null for 0/0);
 * - table rows are concatenated in division order; within one division, rows of several quarters that
 *   share a key (first text column, for tables with integer columns) are merged column by column,
 *   text-only tables drop repeated identical rows; "stt" is renumbered, totals recomputed;
 * - narratives are merged in template, division and quarter order without duplicates, then put in
 *   the narrative's declared order (narrative.order) where it has one;
 * - `previous` (the same period of the previous year, optional) is carried for {compare:…} sentences;
 * - completeness: a quarter is late when the division's first submission for it came after the
 *   quarter's deadline (end of the 20th, Vietnam time); a correction after that does not make it late.
 */
export interface TimedSubmission {
  submission: Submission;
  /** ISO timestamp of receipt. */
  submittedAt: string;
}

const key = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');
const clean = key;

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

/** Total order on submissions of one (division, quarter): time, then text, so input order never matters. */
function compareTimed(a: TimedSubmission, b: TimedSubmission): number {
  const ta = timeOf(a.submittedAt);
  const tb = timeOf(b.submittedAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const sa = `${a.submittedAt}\u0000${JSON.stringify(a.submission)}`;
  const sb = `${b.submittedAt}\u0000${JSON.stringify(b.submission)}`;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface Slot {
  latest: TimedSubmission;
  first: TimedSubmission;
}

export function aggregate(
  template: ReportTemplate,
  organization: Organization,
  period: PeriodInfo,
  submissions: TimedSubmission[],
  options: { previous?: AggregatedReport | PreviousFigures } = {},
): AggregatedReport {
  const quarters = [...period.quarters].sort();
  const inPeriod = new Set(quarters);
  // Only the divisions that answer this report type are awaited (and counted in completeness).
  const divisions = organizationForReportType(organization, template).divisions;
  const known = new Set(divisions.map((d) => d.id));

  // (division, quarter) → latest and first submission
  const slots = new Map<string, Slot>();
  for (const ts of submissions) {
    const s = ts?.submission;
    if (!s || s.templateId !== template.id || !inPeriod.has(s.period) || !known.has(s.division)) continue;
    const k = `${s.division}|${s.period}`;
    const slot = slots.get(k);
    if (!slot) slots.set(k, { latest: ts, first: ts });
    else {
      if (compareTimed(ts, slot.latest) > 0) slot.latest = ts;
      if (compareTimed(ts, slot.first) < 0) slot.first = ts;
    }
  }
  /** The counted submissions of a division, in quarter order. */
  const ofDivision = (divisionId: string): Submission[] =>
    quarters.map((q) => slots.get(`${divisionId}|${q}`)?.latest.submission).filter((s): s is Submission => !!s);

  const indicators: Record<string, number> = {};
  for (const ind of template.indicators) {
    let total = 0;
    for (const d of divisions) {
      if (!ind.owners.includes(d.id)) continue;
      const values = ofDivision(d.id)
        .map((s) => s.indicators?.[ind.id])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length === 0) continue;
      total += ind.combine === 'last' ? values[values.length - 1] : values.reduce((a, b) => a + b, 0);
    }
    indicators[ind.id] = total;
  }

  const ratios: Record<string, number | null> = {};
  for (const r of template.ratios) ratios[r.id] = percent(indicators[r.numerator] ?? 0, indicators[r.denominator] ?? 0);

  const tables: Record<string, AggregatedTable> = {};
  for (const table of template.tables) {
    const rows: Row[] = [];
    for (const d of divisions) {
      if (!table.owners.includes(d.id)) continue;
      rows.push(
        ...mergeDivisionRows(
          table,
          ofDivision(d.id).map((s) => s.tables?.[table.id] ?? []),
        ),
      );
    }
    tables[table.id] = finishTable(table, rows);
  }

  const narratives: Record<string, string[]> = {};
  for (const n of template.narratives) {
    const seen = new Set<string>();
    const items: string[] = [];
    for (const d of divisions) {
      if (!n.owners.includes(d.id)) continue;
      for (const s of ofDivision(d.id)) {
        for (const item of s.narratives?.[n.id] ?? []) {
          if (typeof item !== 'string') continue;
          const k = key(item);
          if (!k || seen.has(k)) continue;
          seen.add(k);
          items.push(clean(item));
        }
      }
    }
    narratives[n.id] = orderItems(items, n.order);
  }

  const completeness: DivisionStatus[] = divisions.map((d) => {
    const submitted = quarters.filter((q) => slots.has(`${d.id}|${q}`));
    return {
      divisionId: d.id,
      divisionName: d.name,
      submitted,
      missing: quarters.filter((q) => !slots.has(`${d.id}|${q}`)),
      late: submitted.filter((q) => timeOf(slots.get(`${d.id}|${q}`)!.first.submittedAt) > deadlineEndMs(quarterDeadline(q))),
    };
  });

  const findings = tableTextContradictions(template, indicators, tables);
  const report: AggregatedReport = { templateId: template.id, period, indicators, ratios, tables, narratives, completeness, findings };
  const prev = options.previous;
  if (prev) {
    const year = 'period' in prev ? prev.period.year : prev.year;
    report.previous = { year, indicators: { ...prev.indicators } };
  }
  return report;
}

const orderKey = (s: string) =>
  key(s)
    .replace(/^[-–—+•]\s*/, '')
    .toLocaleLowerCase('vi');

/** Items matching an order key (item starts with it) in key order, the rest after them as they came. */
export function orderItems(items: string[], order: string[]): string[] {
  if (order.length === 0) return items;
  const keys = order.map(orderKey);
  const rank = (item: string) => {
    const k = orderKey(item);
    const i = keys.findIndex((p) => k.startsWith(p));
    return i < 0 ? keys.length : i;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}

/**
 * A figure the text prints that a table also shows (column.indicator): the two must agree. The
 * classic case is a table nobody filled (total 0, or left out of the document) while the text,
 * fed by the indicator, prints a non-zero figure or a ratio built on it.
 */
export function tableTextContradictions(
  template: ReportTemplate,
  indicators: Record<string, number>,
  tables: Record<string, AggregatedTable>,
): ReportFinding[] {
  const usedInText = new Set(templateTexts(template).flatMap((t) => figuresIn(t, template)));
  const findings: ReportFinding[] = [];
  const fmt = (n: number) => n.toLocaleString('vi-VN');
  for (const table of template.tables) {
    const data = tables[table.id];
    for (const c of table.columns) {
      if (c.type !== 'integer' || !c.indicator || !usedInText.has(c.indicator)) continue;
      const figure = indicators[c.indicator] ?? 0;
      const rows = data?.rows ?? [];
      const total = rows.reduce<number>((s, r) => s + (isNum(r[c.id]) ? (r[c.id] as number) : 0), 0);
      if (c.combine !== 'sum' || figure === total) continue;
      if (rows.length > 0 && total !== 0) {
        findings.push({
          severity: 'warning',
          rule: `bangKhacVanBan:${table.id}.${c.id}`,
          message: `Bảng "${table.label}", cột "${c.label}": tổng ${fmt(total)} khác số liệu văn bản sử dụng (${fmt(figure)}).`,
        });
      } else if (figure !== 0) {
        findings.push({
          severity: 'warning',
          rule: `bangTrongKhiVanBanCoSoLieu:${table.id}.${c.id}`,
          message: `Bảng "${table.label}" ${rows.length ? `có cột "${c.label}" bằng 0` : 'không có số liệu'} nhưng văn bản sử dụng số liệu ${fmt(figure)} của chỉ tiêu này: kiểm tra lại bảng hoặc chỉ tiêu.`,
        });
      }
    }
  }
  return findings;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function dataColumns(table: Table): Column[] {
  return table.columns.filter((c) => c.id !== 'stt' && c.type !== 'ratio');
}

/** Rows of one division over its quarters, repeated rows merged (see aggregate's doc). */
function mergeDivisionRows(table: Table, quarterRows: Row[][]): Row[] {
  const cols = dataColumns(table);
  const keyColumn = cols.find((c) => c.type === 'text');
  const keyed = cols.some((c) => c.type === 'integer') && keyColumn !== undefined;
  const merged = new Map<string, Row>();
  let anonymous = 0;
  for (const rows of quarterRows) {
    for (const raw of rows) {
      const row: Row = {};
      for (const c of cols) {
        const v = raw?.[c.id];
        row[c.id] = c.type === 'integer' ? (isNum(v) ? v : null) : isText(v) ? clean(v) : null;
      }
      let k: string;
      if (keyed) {
        const kv = row[keyColumn!.id];
        k = isText(kv) ? `k:${key(kv).toLocaleLowerCase('vi')}` : `#${anonymous++}`;
      } else {
        k = `r:${JSON.stringify(cols.map((c) => (typeof row[c.id] === 'string' ? key(row[c.id] as string).toLocaleLowerCase('vi') : row[c.id])))}`;
      }
      const prev = merged.get(k);
      if (!prev) {
        merged.set(k, row);
        continue;
      }
      for (const c of cols) {
        const a = prev[c.id];
        const b = row[c.id];
        if (c.type === 'integer') {
          if (c.combine === 'last') prev[c.id] = isNum(b) ? b : a;
          else prev[c.id] = isNum(a) || isNum(b) ? (isNum(a) ? a : 0) + (isNum(b) ? b : 0) : null;
        } else if (isText(b)) prev[c.id] = b;
      }
    }
  }
  return [...merged.values()];
}

function finishTable(table: Table, rows: Row[]): AggregatedTable {
  const out: Array<Record<string, CellValue>> = rows.map((row, i) => {
    const r: Record<string, CellValue> = {};
    for (const c of table.columns) {
      if (c.id === 'stt') r[c.id] = i + 1;
      else if (c.type === 'ratio') {
        const num = row[c.numerator ?? ''];
        const den = row[c.denominator ?? ''];
        r[c.id] = isNum(num) && isNum(den) ? percent(num, den) : null;
      } else r[c.id] = row[c.id] ?? null;
    }
    return r;
  });
  if (table.totalLabel === undefined) return { id: table.id, rows: out, total: null };
  const total: Record<string, CellValue> = {};
  const firstText = table.columns.find((c) => c.type === 'text' && c.id !== 'stt');
  for (const c of table.columns) {
    if (c.id === 'stt') total[c.id] = null;
    else if (c.type === 'integer')
      total[c.id] = c.sum ? out.reduce<number>((s, r) => s + (isNum(r[c.id]) ? (r[c.id] as number) : 0), 0) : null;
    else if (c.type === 'text') {
      const values = out.map((r) => r[c.id]).filter(isText);
      if (c.count === 'nonEmpty') total[c.id] = values.length;
      else if (c.count === 'distinct') total[c.id] = new Set(values.map((v) => key(v).toLocaleLowerCase('vi'))).size;
      else total[c.id] = c === firstText ? table.totalLabel : null;
    } else total[c.id] = null;
  }
  for (const c of table.columns) {
    if (c.type !== 'ratio') continue;
    const num = total[c.numerator ?? ''];
    const den = total[c.denominator ?? ''];
    total[c.id] = isNum(num) && isNum(den) ? percent(num, den) : null;
  }
  return { id: table.id, rows: out, total };
}

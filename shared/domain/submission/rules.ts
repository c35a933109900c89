import type { Division } from '../../config/schema';
import { isQuarter } from '../periods';
import type { ReportTemplate, Rule, Table } from '../template';
import type { Row, Submission } from './schema';
import { columnLabel, fmt, q } from './text';

/** The cross-field rules of a template: on one table row, on the indicators, and across quarters. */

export type Report = (
  severity: 'error' | 'warning',
  field: string,
  label: string,
  message: string,
  rule: string,
  fields?: string[],
) => void;

const OUTLIER_FACTOR = 3;
const OUTLIER_QUARTERS = 4;

export function operands(rule: Rule): string[] {
  return rule.kind === 'sumEquals' ? [...rule.parts, rule.total] : [...rule.left, rule.right];
}

export function checkRowRules(table: Table, row: Row, i: number, report: Report) {
  const cols = new Map(table.columns.map((c) => [c.id, c]));
  const field = (id: string) => `tables.${table.id}[${i}].${id}`;
  const lbl = (id: string) => q(columnLabel(cols.get(id)!));
  const val = (id: string) => row[id];
  for (const rule of table.rules) {
    if (rule.kind === 'cumulativeLte') continue;
    const ops = operands(rule);
    if (ops.some((o) => typeof val(o) !== 'number')) continue;
    const where = `(dòng ${i + 1}, bảng ${q(table.label)})`;
    const label = `${table.label} — dòng ${i + 1}`;
    if (rule.kind === 'sumEquals') {
      const sum = rule.parts.reduce((s, p) => s + (val(p) as number), 0);
      const total = val(rule.total) as number;
      if (sum !== total) {
        const parts = rule.parts.map((p) => `${lbl(p)} (${fmt(val(p) as number)})`).join(' cộng ');
        report(
          rule.severity,
          field(rule.total),
          label,
          `${parts} phải bằng ${lbl(rule.total)} (${fmt(total)}) ${where}, nhưng tổng đang là ${fmt(sum)}.`,
          `${table.id}.${rule.id}`,
          ops.map(field),
        );
      }
    } else {
      const sum = rule.left.reduce((s, p) => s + (val(p) as number), 0);
      const right = val(rule.right) as number;
      if (sum > right) {
        const left = rule.left.map((p) => `${lbl(p)} (${fmt(val(p) as number)})`).join(' cộng ');
        report(
          rule.severity,
          field(rule.left[0]),
          label,
          `${left} không được lớn hơn ${lbl(rule.right)} (${fmt(right)}) ${where}.`,
          `${table.id}.${rule.id}`,
          ops.map(field),
        );
      }
    }
  }
}

export function checkIndicatorRules(template: ReportTemplate, indicators: Record<string, number>, report: Report) {
  const labelOf = (id: string) => template.indicators.find((x) => x.id === id)!.label;
  const lbl = (id: string) => q(labelOf(id));
  const field = (id: string) => `indicators.${id}`;
  for (const rule of template.rules) {
    if (rule.kind === 'cumulativeLte') continue; // needs history, see checkHistory
    const ops = operands(rule);
    if (!ops.every((o) => Object.hasOwn(indicators, o))) continue;
    if (rule.kind === 'sumEquals') {
      const sum = rule.parts.reduce((s, p) => s + indicators[p], 0);
      if (sum !== indicators[rule.total]) {
        const parts = rule.parts.map((p) => `${lbl(p)} (${fmt(indicators[p])})`).join(' cộng ');
        report(
          rule.severity,
          field(rule.total),
          labelOf(rule.total),
          `${parts} phải bằng ${lbl(rule.total)} (${fmt(indicators[rule.total])}), nhưng tổng đang là ${fmt(sum)}.`,
          rule.id,
          ops.map(field),
        );
      }
    } else {
      const sum = rule.left.reduce((s, p) => s + indicators[p], 0);
      if (sum > indicators[rule.right]) {
        const left = rule.left.map((p) => `${lbl(p)} (${fmt(indicators[p])})`).join(' cộng ');
        report(
          rule.severity,
          field(rule.left[0]),
          labelOf(rule.left[0]),
          `${left} không được lớn hơn ${lbl(rule.right)} (${fmt(indicators[rule.right])}).`,
          rule.id,
          ops.map(field),
        );
      }
    }
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Earlier quarters of the same division: outliers and year-to-date limits. */
export function checkHistory(
  template: ReportTemplate,
  history: Submission[],
  division: Division,
  period: string,
  indicators: Record<string, number>,
  report: Report,
) {
  const byQuarter = new Map<string, Record<string, number>>();
  for (const h of history) {
    if (!isObj(h) || h.division !== division.id || h.templateId !== template.id) continue;
    if (typeof h.period !== 'string' || !isQuarter(h.period) || h.period >= period) continue;
    if (!isObj(h.indicators)) continue;
    byQuarter.set(h.period, h.indicators as Record<string, number>); // later entries win
  }
  const earlier = [...byQuarter.keys()].sort().reverse();
  const recent = earlier.slice(0, OUTLIER_QUARTERS);
  for (const ind of template.indicators) {
    if (!ind.outlierCheck || !Object.hasOwn(indicators, ind.id)) continue;
    const past = recent
      .map((qid) => byQuarter.get(qid)![ind.id])
      .filter((x): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0);
    if (past.length < 2) continue;
    const v = indicators[ind.id];
    const max = Math.max(...past);
    const min = Math.min(...past);
    const field = `indicators.${ind.id}`;
    if (v > OUTLIER_FACTOR * max) {
      report(
        'warning',
        field,
        ind.label,
        `${q(ind.label)} = ${fmt(v)} cao bất thường: lớn hơn ${OUTLIER_FACTOR} lần mức cao nhất của các quý trước (${fmt(max)}).`,
        `outlier.${ind.id}`,
      );
    } else if (v * OUTLIER_FACTOR < min) {
      report(
        'warning',
        field,
        ind.label,
        `${q(ind.label)} = ${fmt(v)} thấp bất thường: nhỏ hơn 1/${OUTLIER_FACTOR} mức thấp nhất của các quý trước (${fmt(min)}).`,
        `outlier.${ind.id}`,
      );
    }
  }
  const year = period.slice(0, 4);
  const lbl = (id: string) => q(template.indicators.find((x) => x.id === id)!.label);
  for (const rule of template.rules) {
    if (rule.kind !== 'cumulativeLte') continue;
    if (!operands(rule).every((o) => Object.hasOwn(indicators, o))) continue;
    let sum = 0;
    for (const qid of earlier) {
      if (!qid.startsWith(year)) continue;
      for (const p of rule.left) {
        const x = byQuarter.get(qid)![p];
        if (typeof x === 'number' && Number.isFinite(x)) sum += x;
      }
    }
    for (const p of rule.left) sum += indicators[p];
    const right = indicators[rule.right];
    if (sum > right) {
      report(
        rule.severity,
        `indicators.${rule.left[0]}`,
        template.indicators.find((x) => x.id === rule.left[0])!.label,
        `Lũy kế từ đầu năm ${year} của ${rule.left.map(lbl).join(' cộng ')} là ${fmt(sum)}, vượt ${lbl(rule.right)} (${fmt(right)}).`,
        rule.id,
        operands(rule).map((o) => `indicators.${o}`),
      );
    }
  }
}

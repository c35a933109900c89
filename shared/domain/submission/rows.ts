import { parseIntegerVi } from '../format';
import type { Column, Table } from '../template';
import { isDateRangeVi, isDateVi, isDocRef } from './formats';
import type { Cell, Entries } from './input';
import { boundsOf, inBounds, rangeMessage, shownNumber } from './ranges';
import { checkRowRules, type Report } from './rules';
import type { Row } from './schema';
import { columnLabel, nfc, q, show } from './text';

/** One table row of a submission: its cells checked by column type and format, then the row's own rules. */

type CellValue = Row[string];

/** A cell's value to keep and, when it is wrong, what is wrong (the row's rules then do not run). */
type CellOutcome = { value?: CellValue; problem?: string; rule?: string };

function readCell(c: Column, value: Cell, tableLabel: string, i: number): CellOutcome | undefined {
  const name = q(columnLabel(c));
  const where = `(dòng ${i + 1}, bảng ${q(tableLabel)})`;
  const empty = value === null || (typeof value === 'string' && value.trim() === '');
  if (c.type === 'ratio') {
    return empty
      ? undefined
      : {
          problem: `Cột ${name} của bảng ${q(tableLabel)} được tính tự động, không nhập (dòng ${i + 1}); hãy để trống.`,
          rule: 'ratio.typed',
        };
  }
  if (empty) {
    return c.type === 'text' && c.required
      ? { value: null, problem: `Chưa nhập cột ${name} ở dòng ${i + 1} của bảng ${q(tableLabel)}.`, rule: 'schema.required' }
      : { value: null };
  }
  if (c.type === 'integer') {
    const n = parseIntegerVi(value);
    if (n === undefined)
      return { problem: `Cột ${name} ${where} phải là số nguyên không âm; nhận được ${show(value)}.`, rule: 'schema.integer' };
    if (!inBounds(n, boundsOf(c))) return { problem: rangeMessage(`Cột ${name} ${where}`, boundsOf(c), shownNumber(value)), rule: 'range' };
    return { value: n };
  }
  const text = nfc(String(value));
  const problem =
    c.format === 'date' && !isDateVi(text)
      ? 'phải là ngày dạng dd/mm/yyyy, ví dụ 10/05/2021'
      : c.format === 'dateRange' && !isDateRangeVi(text)
        ? 'phải là khoảng ngày dạng dd/mm/yyyy-dd/mm/yyyy với ngày bắt đầu không sau ngày kết thúc, ví dụ 10/05/2021-19/05/2021'
        : c.format === 'docRef' && !isDocRef(text)
          ? 'phải ghi văn bản dạng “số N/XX-YYY ngày dd/mm/yyyy”, ví dụ “số 116/KH-SCT ngày 07/01/2021”'
          : undefined;
  if (problem) {
    // The text is kept as written: the form shows it back beside its error.
    return {
      value: text,
      problem: `Cột ${name} ${where} ${problem}; nhận được ${show(text)}.`,
      rule: c.format === 'docRef' ? 'format.docRef' : 'format.date',
    };
  }
  return { value: text };
}

/** The row without its wrong cells (each reported); the row's own rules run only when every cell is right. */
export function readRow(table: Table, rowIn: Entries<Cell>, i: number, report: Report): Row {
  const rowField = `tables.${table.id}[${i}]`;
  const rowLabel = `${table.label} — dòng ${i + 1}`;
  const cols = new Set(table.columns.map((c) => c.id));
  for (const k of Object.keys(rowIn)) {
    if (!cols.has(k))
      report('error', `${rowField}.${k}`, rowLabel, `Bảng ${q(table.label)} không có cột ${q(k)} (dòng ${i + 1}).`, 'schema.unknown');
  }
  const row: Row = {};
  let bad = false;
  for (const c of table.columns) {
    if (c.id === 'stt') continue; // renumbered at aggregation
    const value = Object.hasOwn(rowIn, c.id) ? rowIn[c.id] : null;
    if (value === undefined) {
      bad = true; // broke the schema, already reported
      continue;
    }
    const outcome = readCell(c, value, table.label, i);
    if (!outcome) continue;
    if (outcome.value !== undefined) row[c.id] = outcome.value;
    if (outcome.problem) {
      report('error', `${rowField}.${c.id}`, `${rowLabel} — ${columnLabel(c)}`, outcome.problem, outcome.rule ?? 'schema');
      bad = true;
    }
  }
  if (!bad) checkRowRules(table, row, i, report);
  return row;
}

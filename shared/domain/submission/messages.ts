import type { Organization } from '../../config/schema';
import type { ReportTemplate } from '../template';
import { boundsOf, rangeMessage, shownNumber } from './ranges';
import { MAX_ITEMS, MAX_ROWS, MAX_TEXT } from './schema';
import type { Path, Violation } from './structure';
import { columnLabel, fieldOf, fmt, q, show } from './text';
import type { Issue } from './types';

/**
 * Vietnamese messages for the structural violations (structure.ts): each names the field by
 * the label the form shows, says what was expected and what was received.
 */

const SECTION: Record<string, [label: string, shape: string]> = {
  indicators: ['Số liệu', 'Mục số liệu (indicators) phải là đối tượng {mã chỉ tiêu: số}'],
  tables: ['Bảng số liệu', 'Mục bảng (tables) phải là đối tượng {mã bảng: danh sách dòng}'],
  narratives: ['Nội dung báo cáo', 'Mục nội dung (narratives) phải là đối tượng {mã mục: danh sách đoạn}'],
  confirmations: ['Xác nhận cảnh báo', 'Mục xác nhận (confirmations) phải là đối tượng {mã quy tắc: giải trình}'],
};

function at(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const p of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A whole non-negative number beyond the template's range (a negative one keeps its own message). */
const outOfRange = (v: Violation, value: unknown) =>
  (v.keyword === 'minimum' || v.keyword === 'maximum') && typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** One issue per field (the first violation found there), in the order found. */
export function structuralIssues(violations: Violation[], raw: unknown, template: ReportTemplate, organization: Organization): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const v of violations) {
    const issue = describe(v, at(raw, v.path), template, organization);
    if (seen.has(issue.field)) continue;
    seen.add(issue.field);
    out.push(issue);
  }
  return out;
}

function describe(v: Violation, value: unknown, template: ReportTemplate, organization: Organization): Issue {
  const field = fieldOf(v.path);
  const err = (label: string, message: string, rule = 'schema.type'): Issue => ({ field, label, message, rule, severity: 'error' });
  const [head, key, index, col] = v.path;
  const got = `nhận được ${show(value)}`;
  if (head === undefined)
    return err(
      'Dữ liệu nộp',
      `Dữ liệu nộp phải là một đối tượng JSON có các mục schemaVersion, templateId, division, period, indicators, tables, narratives; ${got}.`,
      'schema.object',
    );
  if (v.keyword === 'additionalProperties' && v.path.length === 1)
    return err(String(head), `Mục ${q(String(head))} không có trong định dạng báo cáo; hãy xóa mục này.`, 'schema.unknown');
  switch (head) {
    case 'schemaVersion':
      return err('Phiên bản định dạng', `Phiên bản định dạng (schemaVersion) phải là 1; ${got}.`, 'schema.version');
    case 'templateId':
      return err('Mẫu báo cáo', `Mẫu báo cáo (templateId) phải là ${q(template.id)}; ${got}.`, 'schema.template');
    case 'division': {
      const divisions = organization.divisions;
      if (typeof value !== 'string' || value.trim() === '')
        return err('Phòng, đơn vị', `Chưa ghi mã phòng, đơn vị (division), ví dụ ${q(divisions[0]?.id ?? 'VP')}.`, 'schema.required');
      return err(
        'Phòng, đơn vị',
        `Mã phòng, đơn vị ${q(value)} không có trong danh sách; các mã hợp lệ: ${divisions.map((d) => d.id).join(', ')}.`,
        'schema.division',
      );
    }
    case 'period':
      return err('Kỳ báo cáo', `Kỳ báo cáo (period) phải là một quý dạng 2021-Q1 … 2021-Q4; ${got}.`, 'schema.period');
  }
  const section = SECTION[String(head)];
  if (!section) return err(field, `Mục ${q(field)} không đúng định dạng; ${got}.`);
  if (key === undefined) return err(section[0], `${section[1]}; ${got}.`);
  const id = String(key);
  if (v.key) return err(id, `Mã ${q(id)} trong mục ${head} không hợp lệ: chỉ gồm chữ, số và dấu _, bắt đầu bằng chữ.`, 'schema.unknown');
  if (head === 'indicators') {
    const label = [...template.indicators, ...template.ratios].find((x) => x.id === id)?.label ?? id;
    const ind = template.indicators.find((x) => x.id === id);
    if (ind && outOfRange(v, value)) return err(label, rangeMessage(q(label), boundsOf(ind), shownNumber(value), ind.unit), 'range');
    const negative = (typeof value === 'number' && value < 0) || (typeof value === 'string' && /^\s*-/.test(value));
    return err(
      label,
      negative
        ? `${q(label)} không được là số âm; ${got}.`
        : `${q(label)} phải là số nguyên không âm, tối đa 15 chữ số (ví dụ 16075, “16.075” hoặc “16 075”); ${got}.`,
      'schema.integer',
    );
  }
  if (head === 'tables') {
    const table = template.tables.find((t) => t.id === id);
    const label = table?.label ?? id;
    if (index === undefined)
      return v.keyword === 'maxItems'
        ? err(label, `Bảng ${q(label)} có ${fmt((value as unknown[]).length)} dòng, vượt quá ${MAX_ROWS} dòng.`, 'schema.size')
        : err(label, `Bảng ${q(label)} phải là danh sách các dòng; ${got}.`);
    const n = Number(index) + 1;
    const rowLabel = `${label} — dòng ${n}`;
    if (col === undefined) return err(rowLabel, `Dòng ${n} của bảng ${q(label)} phải là đối tượng {mã cột: giá trị}; ${got}.`);
    const c = table?.columns.find((x) => x.id === col);
    const cl = c ? columnLabel(c) : String(col);
    const where = `(dòng ${n}, bảng ${q(label)})`;
    if (v.keyword === 'maxLength')
      return err(`${rowLabel} — ${cl}`, `Cột ${q(cl)} ${where} dài quá ${fmt(MAX_TEXT)} ký tự.`, 'schema.size');
    if (c?.type === 'integer' && outOfRange(v, value))
      return err(`${rowLabel} — ${cl}`, rangeMessage(`Cột ${q(cl)} ${where}`, boundsOf(c), shownNumber(value)), 'range');
    if (v.keyword === 'minimum' || v.keyword === 'maximum')
      return err(`${rowLabel} — ${cl}`, `Cột ${q(cl)} ${where} phải là số nguyên không âm, tối đa 15 chữ số; ${got}.`, 'schema.integer');
    return err(`${rowLabel} — ${cl}`, `Cột ${q(cl)} ${where} phải là văn bản hoặc số nguyên không âm; ${got}.`);
  }
  if (head === 'narratives') {
    const label = template.narratives.find((x) => x.id === id)?.label ?? id;
    if (v.keyword === 'maxItems') return err(label, `Mục ${q(label)} có quá nhiều đoạn (tối đa ${MAX_ITEMS}).`, 'schema.size');
    const part = index === undefined ? `Mục ${q(label)}` : `Đoạn ${Number(index) + 1} của mục ${q(label)}`;
    if (v.keyword === 'maxLength') return err(label, `${part} dài quá ${fmt(MAX_TEXT)} ký tự; hãy tách thành nhiều đoạn.`, 'schema.size');
    return err(
      label,
      index === undefined
        ? `${part} phải là danh sách các đoạn văn bản (hoặc một đoạn văn bản); ${got}.`
        : `${part} phải là văn bản; ${got}.`,
    );
  }
  // confirmations
  if (v.keyword === 'maxLength') return err(section[0], `Giải trình cho cảnh báo ${q(id)} dài quá ${fmt(MAX_TEXT)} ký tự.`, 'schema.size');
  return err(section[0], `Giải trình cho cảnh báo ${q(id)} phải là một đoạn văn bản; ${got}.`);
}

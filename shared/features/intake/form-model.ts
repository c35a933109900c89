import type { Column, ReportTemplate } from '../../domain/template';

/** What one division fills in, in template order: the parts of the template it owns. */
export interface FormModel {
  templateId: string;
  indicators: Array<{ id: string; label: string; unit: string; help?: string }>;
  tables: Array<{ id: string; label: string; columns: FormColumn[] }>;
  narratives: Array<{ id: string; label: string; help?: string }>;
}

export interface FormColumn {
  id: string;
  /** "Group: label" when the column sits under a group header. */
  label: string;
  type: 'text' | 'integer';
  format?: Column['format'];
  required: boolean;
}

/** Row numbers and ratios are computed, never typed: they are left out of forms and files. */
function inputColumns(columns: Column[]): FormColumn[] {
  return columns
    .filter((c) => c.type !== 'ratio' && c.id !== 'stt')
    .map((c) => ({
      id: c.id,
      label: c.group && c.group !== c.label ? `${c.group}: ${c.label}` : c.label,
      type: c.type as 'text' | 'integer',
      ...(c.format ? { format: c.format } : {}),
      required: c.required,
    }));
}

/** Indicators the division's tables total for it (table.totalsAreIndicators): never typed twice. */
export function indicatorsFromTables(template: ReportTemplate, divisionId: string): Set<string> {
  return new Set(
    template.tables
      .filter((t) => t.totalsAreIndicators && t.owners.includes(divisionId))
      .flatMap((t) => t.columns.map((c) => c.indicator).filter((id): id is string => Boolean(id))),
  );
}

export function formModel(template: ReportTemplate, divisionId: string): FormModel {
  const fromTables = indicatorsFromTables(template, divisionId);
  return {
    templateId: template.id,
    indicators: template.indicators
      .filter((i) => i.owners.includes(divisionId) && !fromTables.has(i.id))
      .map((i) => ({ id: i.id, label: i.label, unit: i.unit, ...(i.help ? { help: i.help } : {}) })),
    tables: template.tables
      .filter((t) => t.owners.includes(divisionId))
      .map((t) => ({ id: t.id, label: t.label, columns: inputColumns(t.columns) })),
    narratives: template.narratives
      .filter((n) => n.owners.includes(divisionId))
      .map((n) => ({ id: n.id, label: n.label, ...(n.help ? { help: n.help } : {}) })),
  };
}

export const FORMAT_HINT: Record<NonNullable<Column['format']>, string> = {
  date: 'Ngày dạng dd/mm/yyyy, ví dụ 10/05/2021.',
  dateRange: 'Khoảng ngày dạng dd/mm/yyyy-dd/mm/yyyy, ví dụ 10/05/2021-19/05/2021.',
  docRef: 'Văn bản dạng “số 116/KH-SCT ngày 07/01/2021”; nhiều văn bản cách nhau bằng dấu chấm phẩy.',
};

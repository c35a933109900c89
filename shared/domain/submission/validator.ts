import type { Division } from '../../config/schema';
import { parseIntegerVi } from '../format';
import { isQuarter, parsePeriod } from '../periods';
import type { Indicator, ReportTemplate, Table } from '../template';
import { type CheckedInput, checkedInput, type Entries } from './input';
import { structuralIssues } from './messages';
import { boundsOf, inBounds, rangeMessage, shownNumber } from './ranges';
import { readRow } from './rows';
import { checkHistory, checkIndicatorRules } from './rules';
import type { Row, Submission } from './schema';
import { structuralViolations } from './structure';
import { columnLabel, fmt, nfc, q, show } from './text';
import type { Issue, ValidationContext, ValidationResult } from './types';

/**
 * What one division submits for one quarter, and the rules it must pass.
 * First the structure, by the published JSON Schema (structure.ts); then, on the parts that are
 * structurally valid, the template's rules: which codes exist and who owns them, column types
 * and formats, required indicators, totals, and warnings against earlier quarters.
 * Errors block the submission; warnings do not, and a warning is settled by a comment in
 * `confirmations[rule]` ("số liệu đúng, do …").
 */

/** Errors about the code itself (it is computed, unknown, or someone else's) say more than a structural error under it. */
const KEY_RULES = new Set(['ratio.typed', 'schema.unknown', 'schema.owner']);

/** Names every object inherits: as a key they would read or replace a built-in, never a rule's code. */
const INHERITED = new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype)]);

/** Validates and normalizes a submission. Never throws, whatever `raw` is. */
export function validateSubmission(template: ReportTemplate, raw: unknown, ctx: ValidationContext): ValidationResult {
  try {
    const violations = structuralViolations(raw);
    const structural = structuralIssues(violations, raw, template, ctx.organization);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: structural, warnings: [] };
    const semantic = new Validator(template, ctx).run(checkedInput(raw as Record<string, unknown>, violations));
    const keyFields = semantic.errors.filter((e) => KEY_RULES.has(e.rule)).map((e) => e.field);
    const covered = (f: string) => keyFields.some((k) => f === k || f.startsWith(`${k}.`) || f.startsWith(`${k}[`));
    const errors = [...structural.filter((e) => !covered(e.field)), ...semantic.errors];
    const ok = errors.length === 0 && semantic.submission !== undefined;
    return { ok, ...(ok ? { submission: semantic.submission } : {}), errors, warnings: semantic.warnings };
  } catch {
    return {
      ok: false,
      errors: [
        {
          field: '',
          label: 'Dữ liệu nộp',
          message: 'Không kiểm tra được dữ liệu nộp do dữ liệu có cấu trúc bất thường. Vui lòng nộp lại theo đúng định dạng.',
          rule: 'internal',
          severity: 'error',
        },
      ],
      warnings: [],
    };
  }
}

class Validator {
  private errors: Issue[] = [];
  private warnings: Issue[] = [];
  /** A Map: the keys are the submitter's, and "toString" must not find Object.prototype's. */
  private confirmations = new Map<string, string>();
  /** Indicators entered but refused (broke the schema, out of range): one error each, never also "not entered". */
  private readonly refused = new Set<string>();
  private readonly indicatorById: Map<string, Indicator>;
  private readonly tableById: Map<string, Table>;
  private readonly narrativeById: Map<string, ReportTemplate['narratives'][number]>;

  constructor(
    private readonly template: ReportTemplate,
    private readonly ctx: ValidationContext,
  ) {
    this.indicatorById = new Map(template.indicators.map((i) => [i.id, i]));
    this.tableById = new Map(template.tables.map((t) => [t.id, t]));
    this.narrativeById = new Map(template.narratives.map((n) => [n.id, n]));
  }

  private error(field: string, label: string, message: string, rule: string, fields?: string[]) {
    this.errors.push({ field, label, message, rule, severity: 'error', ...(fields ? { fields } : {}) });
  }

  private warn(field: string, label: string, message: string, rule: string, fields?: string[]) {
    const confirmation = this.confirmations.get(rule);
    this.warnings.push({
      field,
      label,
      message: confirmation ? message : `${message} Nếu số liệu đúng, ghi giải trình vào mục xác nhận (${rule}).`,
      rule,
      severity: 'warning',
      ...(fields ? { fields } : {}),
      ...(confirmation ? { confirmation } : {}),
    });
  }

  private readonly report = (s: 'error' | 'warning', field: string, label: string, message: string, rule: string, fields?: string[]) =>
    s === 'error' ? this.error(field, label, message, rule, fields) : this.warn(field, label, message, rule, fields);

  run(input: CheckedInput): { submission?: Submission; errors: Issue[]; warnings: Issue[] } {
    for (const [rule, comment] of Object.entries(input.confirmations)) {
      if (INHERITED.has(rule)) {
        this.error(
          `confirmations.${rule}`,
          'Xác nhận cảnh báo',
          `Mã quy tắc ${q(rule)} trong mục xác nhận (confirmations) không hợp lệ; hãy ghi đúng mã quy tắc mà cảnh báo nêu.`,
          'schema.unknown',
        );
        continue;
      }
      const text = typeof comment === 'string' ? nfc(comment).replace(/\s+/g, ' ') : '';
      if (text) this.confirmations.set(nfc(rule), text);
    }
    if (input.templateId !== undefined && input.templateId !== this.template.id) {
      this.error(
        'templateId',
        'Mẫu báo cáo',
        `Mẫu báo cáo (templateId) phải là ${q(this.template.id)}; nhận được ${show(input.templateId)}.`,
        'schema.template',
      );
    }
    const division = input.division === undefined ? undefined : this.readDivision(input.division);
    const period = input.period === undefined ? undefined : this.readPeriod(input.period);
    const indicators = this.readIndicators(input.indicators, division);
    const tables = this.readTables(input.tables, division, indicators);
    const narratives = this.readNarratives(input.narratives, division);

    if (division) {
      this.checkRequired(division, indicators);
      checkIndicatorRules(this.template, indicators, this.report);
      if (period) checkHistory(this.template, this.ctx.history ?? [], division, period, indicators, this.report);
    }
    const submission: Submission | undefined =
      division && period && input.templateId === this.template.id
        ? {
            schemaVersion: 1,
            templateId: this.template.id,
            division: division.id,
            period,
            indicators,
            tables,
            narratives,
            ...(this.confirmations.size ? { confirmations: Object.fromEntries(this.confirmations) } : {}),
          }
        : undefined;
    return { submission, errors: this.errors, warnings: this.warnings };
  }

  private readDivision(id: string): Division | undefined {
    const divisions = this.ctx.organization.divisions;
    const division = divisions.find((d) => d.id === id);
    if (!division) {
      this.error(
        'division',
        'Phòng, đơn vị',
        `Mã phòng, đơn vị ${q(id)} không có trong danh sách; các mã hợp lệ: ${divisions.map((d) => d.id).join(', ')}.`,
        'schema.division',
      );
      return undefined;
    }
    if (this.ctx.expectedDivision !== undefined && this.ctx.expectedDivision !== id) {
      const expected = divisions.find((d) => d.id === this.ctx.expectedDivision);
      this.error(
        'division',
        'Phòng, đơn vị',
        `Đường dẫn nộp báo cáo này dành cho ${q(expected?.name ?? this.ctx.expectedDivision)}, nhưng dữ liệu ghi phòng, đơn vị ${q(division.name)}.`,
        'schema.division.mismatch',
      );
      return undefined;
    }
    return division;
  }

  private readPeriod(id: string): string | undefined {
    if (!isQuarter(id)) {
      this.error(
        'period',
        'Kỳ báo cáo',
        `Kỳ báo cáo (period) phải là một quý dạng 2021-Q1 … 2021-Q4; nhận được ${show(id)}.`,
        'schema.period',
      );
      return undefined;
    }
    if (this.ctx.expectedPeriod !== undefined && this.ctx.expectedPeriod !== id) {
      let expected = this.ctx.expectedPeriod;
      try {
        expected = parsePeriod(this.ctx.expectedPeriod).label;
      } catch {
        /* keep the raw id */
      }
      this.error(
        'period',
        'Kỳ báo cáo',
        `Đường dẫn nộp báo cáo này dành cho ${expected}, nhưng dữ liệu ghi kỳ ${parsePeriod(id).label}.`,
        'schema.period.mismatch',
      );
      return undefined;
    }
    return id;
  }

  private ownerNames(owners: string[]): string {
    return owners.map((o) => this.ctx.organization.divisions.find((d) => d.id === o)?.name ?? o).join(', ');
  }

  /** An error when `owners` does not include the division; true when the part may be read. */
  private owned(
    field: string,
    label: string,
    owners: string[],
    division: Division | undefined,
    subject: string,
    verb: string,
    tail: string,
  ) {
    if (!division || owners.includes(division.id)) return true;
    this.error(field, label, `${subject} do ${this.ownerNames(owners)} ${verb}; ${division.name} không nhập ${tail}.`, 'schema.owner');
    return false;
  }

  private readIndicators(v: Entries<number | string | null>, division: Division | undefined): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(v)) {
      const field = `indicators.${key}`;
      const ratio = this.template.ratios.find((x) => x.id === key);
      if (ratio) {
        this.error(field, ratio.label, `${q(ratio.label)} được tính tự động từ số liệu, không nhập; hãy xóa mục này.`, 'ratio.typed');
        continue;
      }
      const ind = this.indicatorById.get(key);
      if (!ind) {
        this.error(field, key, `Chỉ tiêu ${q(key)} không có trong mẫu báo cáo; kiểm tra lại mã chỉ tiêu.`, 'schema.unknown');
        continue;
      }
      // undefined: broke the schema, already reported; null or blank: not entered.
      const n = parseIntegerVi(value);
      if (value === undefined) this.refused.add(key);
      if (n === undefined) continue;
      const bounds = boundsOf(ind);
      if (!inBounds(n, bounds)) {
        this.error(field, ind.label, rangeMessage(q(ind.label), bounds, shownNumber(value), ind.unit), 'range');
        this.refused.add(key);
        continue;
      }
      if (this.owned(field, ind.label, ind.owners, division, q(ind.label), 'nhập', 'chỉ tiêu này')) out[key] = n;
    }
    return out;
  }

  private readTables(v: CheckedInput['tables'], division: Division | undefined, indicators: Record<string, number>): Record<string, Row[]> {
    const out: Record<string, Row[]> = {};
    for (const [key, rowsIn] of Object.entries(v)) {
      const field = `tables.${key}`;
      const table = this.tableById.get(key);
      if (!table) {
        this.error(field, key, `Bảng ${q(key)} không có trong mẫu báo cáo.`, 'schema.unknown');
        continue;
      }
      if (!this.owned(field, table.label, table.owners, division, `Bảng ${q(table.label)}`, 'nhập', 'bảng này')) continue;
      if (!rowsIn) continue;
      const rows: Row[] = [];
      rowsIn.forEach((rowIn, i) => {
        if (rowIn) rows.push(readRow(table, rowIn, i, this.report)); // undefined: broke the schema, already reported
      });
      out[key] = rows;
      this.checkTableIndicators(table, rows, indicators, division);
    }
    return out;
  }

  /** A column linked to an indicator must total to it; a left-out indicator is filled from the column. */
  private checkTableIndicators(table: Table, rows: Row[], indicators: Record<string, number>, division: Division | undefined) {
    if (rows.length === 0) return;
    for (const c of table.columns) {
      if (c.type !== 'integer' || !c.indicator) continue;
      const ind = this.indicatorById.get(c.indicator);
      if (!ind || (division && !ind.owners.includes(division.id))) continue;
      const values = rows.map((r) => r[c.id]);
      if (values.every((x) => typeof x !== 'number')) continue;
      const total = values.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0);
      if (!Object.hasOwn(indicators, ind.id)) {
        indicators[ind.id] = total;
        continue;
      }
      if (indicators[ind.id] !== total) {
        this.error(
          `tables.${table.id}`,
          table.label,
          `Tổng cột ${q(columnLabel(c))} của bảng ${q(table.label)} (${fmt(total)}) phải bằng chỉ tiêu ${q(ind.label)} (${fmt(indicators[ind.id])}).`,
          'table.indicator',
          [`tables.${table.id}`, `indicators.${ind.id}`],
        );
      }
    }
  }

  private readNarratives(v: CheckedInput['narratives'], division: Division | undefined): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, items] of Object.entries(v)) {
      const field = `narratives.${key}`;
      const nar = this.narrativeById.get(key);
      if (!nar) {
        this.error(field, key, `Mục nội dung ${q(key)} không có trong mẫu báo cáo.`, 'schema.unknown');
        continue;
      }
      if (!this.owned(field, nar.label, nar.owners, division, `Mục ${q(nar.label)}`, 'viết', 'mục này')) continue;
      if (!items) continue; // null: not written; undefined: broke the schema, already reported
      out[key] = items
        .filter((t): t is string => typeof t === 'string')
        .map(nfc)
        .filter(Boolean);
    }
    return out;
  }

  private checkRequired(division: Division, indicators: Record<string, number>) {
    const told = new Set<string>();
    for (const ind of this.template.indicators) {
      if (ind.owners.includes(division.id) && !Object.hasOwn(indicators, ind.id) && !this.refused.has(ind.id)) {
        // A total of a table the division fills (form 06): the table is what is missing.
        const table = this.template.tables.find(
          (t) => t.totalsAreIndicators && t.owners.includes(division.id) && t.columns.some((c) => c.indicator === ind.id),
        );
        if (table) {
          if (!told.has(table.id)) {
            told.add(table.id);
            this.error(
              `tables.${table.id}`,
              table.label,
              `Chưa nhập bảng ${q(table.label)}: các số liệu tổng hợp được tính từ các dòng của bảng; ghi đủ các dòng và các cột số (không phát sinh thì ghi 0).`,
              'schema.required',
            );
          }
          continue;
        }
        this.error(
          `indicators.${ind.id}`,
          ind.label,
          `Chưa nhập ${q(ind.label)}${ind.unit ? ` (đơn vị: ${ind.unit})` : ''}; nếu không phát sinh, ghi 0.`,
          'schema.required',
        );
      }
    }
  }
}

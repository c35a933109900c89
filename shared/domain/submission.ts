import { z } from 'zod';
import type { Division, Organization } from '../config/schema';
import { formatInteger } from '../format/vi';
import { parseIntegerVi } from './format';
import { isQuarter, isValidDate, parsePeriod } from './periods';
import type { Column, Indicator, ReportTemplate, Rule, Table } from './template';

/**
 * What one division submits for one quarter, and the rules it must pass.
 * Errors block the submission; warnings do not, and a warning is settled by a comment in
 * `confirmations[rule]` ("số liệu đúng, do …").
 */

export const SUBMISSION_SCHEMA_VERSION = 1 as const;

const ID_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** A non-negative integer as a JSON number or a Vietnamese-style string ("16.075"). */
const VN_INTEGER_PATTERN = '^\\s*(\\d+|\\d{1,3}(\\.\\d{3})+)\\s*$';

const CellInput = z.union([z.string(), z.number().int().nonnegative(), z.null()]);

/** The submission as a file or form may send it (numbers may be Vietnamese-style strings). Exported as JSON Schema. */
export const SubmissionInputSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Phiên bản định dạng, luôn là 1.'),
    templateId: z.string().describe('Mã mẫu báo cáo, ví dụ "cchc".'),
    division: z
      .string()
      .regex(/^[A-Z0-9]{2,12}$/)
      .describe('Mã phòng, đơn vị, ví dụ "VP".'),
    period: z
      .string()
      .regex(/^\d{4}-Q[1-4]$/)
      .describe('Quý báo cáo, ví dụ "2021-Q1".'),
    indicators: z
      .record(z.string().regex(ID_RE), z.union([z.number().int().nonnegative(), z.string().regex(new RegExp(VN_INTEGER_PATTERN))]))
      .optional()
      .describe('Số liệu theo mã chỉ tiêu: số nguyên không âm, có thể viết "16.075".'),
    tables: z
      .record(z.string().regex(ID_RE), z.array(z.record(z.string().regex(ID_RE), CellInput)))
      .optional()
      .describe('Các bảng theo mã bảng: mỗi dòng là một đối tượng {mã cột: giá trị}. Không nhập cột tỷ lệ và cột STT.'),
    narratives: z
      .record(z.string().regex(ID_RE), z.array(z.string()))
      .optional()
      .describe('Nội dung báo cáo theo mã mục: mỗi phần tử là một gạch đầu dòng hoặc một đoạn.'),
    confirmations: z
      .record(z.string(), z.string())
      .optional()
      .describe('Giải trình cho cảnh báo theo mã quy tắc, ví dụ {"outlier.hoSoTiepNhan": "Số hồ sơ tăng do …"}.'),
  })
  .strict()
  .meta({ title: 'Số liệu báo cáo của một phòng, đơn vị trong một quý', $id: 'https://baocao.example/submission.schema.json' });

/** A normalized submission: numbers parsed, text NFC and trimmed, empty items dropped. */
export const SubmissionSchema = z.object({
  schemaVersion: z.literal(1),
  templateId: z.string(),
  division: z.string(),
  period: z.string().regex(/^\d{4}-Q[1-4]$/),
  indicators: z.record(z.string(), z.number().int().nonnegative()),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()])))),
  narratives: z.record(z.string(), z.array(z.string())),
  confirmations: z.record(z.string(), z.string()).optional(),
});

export type SubmissionInput = z.input<typeof SubmissionInputSchema>;
export type Submission = z.infer<typeof SubmissionSchema>;
export type Row = Record<string, string | number | null>;

export interface Issue {
  /** Path of the field, e.g. "indicators.hoSoTiepNhan", "tables.dichVuCongTrucTuyen[0].tiepNhan". */
  field: string;
  /** Vietnamese label as the form shows it. */
  label: string;
  /** Vietnamese; names the field(s) and says what was expected. */
  message: string;
  /** Rule id, e.g. "schema.integer", "hoSoTrucTuyenCongTrucTiep", "outlier.hoSoTiepNhan". */
  rule: string;
  severity: 'error' | 'warning';
  /** Every field the rule involves, when more than one. */
  fields?: string[];
  /** For a warning: the comment in confirmations[rule] that settles it. */
  confirmation?: string;
}

export interface ValidationResult {
  ok: boolean;
  /** The normalized submission, present when ok. */
  submission?: Submission;
  errors: Issue[];
  /** Warnings; those with `confirmation` are settled by a comment. */
  warnings: Issue[];
}

export interface ValidationContext {
  organization: Organization;
  /** The division the invite link is bound to. */
  expectedDivision?: string;
  /** The quarter the invite link is bound to. */
  expectedPeriod?: string;
  /** Earlier submissions of the same division (other entries are ignored). */
  history?: Submission[];
}

const MAX_ROWS = 500;
const MAX_ITEMS = 300;
const MAX_TEXT = 10_000;
const OUTLIER_FACTOR = 3;
const OUTLIER_QUARTERS = 4;

/** Validates and normalizes a submission. Never throws, whatever `raw` is. */
export function validateSubmission(template: ReportTemplate, raw: unknown, ctx: ValidationContext): ValidationResult {
  try {
    return new Validator(template, ctx).run(raw);
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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const q = (label: string) => `“${label}”`;
const fmt = (n: number) => formatInteger(n);
const nfc = (s: string) => s.normalize('NFC').trim();

/** Short, safe description of any value for messages (never throws). */
function show(v: unknown): string {
  try {
    if (typeof v === 'string') return `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'một danh sách';
    if (typeof v === 'object') return 'một đối tượng';
    return `giá trị kiểu ${typeof v}`;
  } catch {
    return 'giá trị không đọc được';
  }
}

const DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DOC_REF_RE =
  /^(?:số\s+)?\d{1,6}(?:\/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9&]*(?:[/-][A-ZĐ][A-Za-zĐđ0-9&]*)*\s+ngày\s+(\d{1,2}\/\d{1,2}\/\d{4})$/iu;

function parseDateVi(s: string): [number, number, number] | undefined {
  const m = DATE_RE.exec(s.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(y, mo, d) ? [y, mo, d] : undefined;
}

export function isDateVi(s: string): boolean {
  return parseDateVi(s) !== undefined;
}

export function isDateRangeVi(s: string): boolean {
  const parts = s.split(/\s*[-–]\s*/);
  if (parts.length !== 2) return false;
  const a = parseDateVi(parts[0]);
  const b = parseDateVi(parts[1]);
  if (!a || !b) return false;
  return Date.UTC(a[0], a[1] - 1, a[2]) <= Date.UTC(b[0], b[1] - 1, b[2]);
}

/** "số 116/KH-SCT ngày 07/01/2021" (also "19/2021/QĐ-UBND ngày 19/5/2021"); several joined by ";". */
export function isDocRef(s: string): boolean {
  const parts = s
    .normalize('NFC')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return false;
  return parts.every((p) => {
    const m = DOC_REF_RE.exec(p);
    return m !== null && parseDateVi(m[1]) !== undefined;
  });
}

function columnLabel(c: Column): string {
  return c.group && c.label !== c.group ? `${c.group}: ${c.label}` : c.label;
}

class Validator {
  private errors: Issue[] = [];
  private warnings: Issue[] = [];
  private confirmations: Record<string, string> = {};
  private readonly indicatorById: Map<string, Indicator>;
  private readonly tableById: Map<string, Table>;
  private readonly narrativeById: Map<string, ReportTemplate['narratives'][number]>;
  private readonly ratioIds: Set<string>;

  constructor(
    private readonly template: ReportTemplate,
    private readonly ctx: ValidationContext,
  ) {
    this.indicatorById = new Map(template.indicators.map((i) => [i.id, i]));
    this.tableById = new Map(template.tables.map((t) => [t.id, t]));
    this.narrativeById = new Map(template.narratives.map((n) => [n.id, n]));
    this.ratioIds = new Set(template.ratios.map((r) => r.id));
  }

  private error(field: string, label: string, message: string, rule: string, fields?: string[]) {
    this.errors.push({ field, label, message, rule, severity: 'error', ...(fields ? { fields } : {}) });
  }

  private warn(field: string, label: string, message: string, rule: string, fields?: string[]) {
    const confirmation = this.confirmations[rule];
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

  private issue(severity: 'error' | 'warning', field: string, label: string, message: string, rule: string, fields?: string[]) {
    if (severity === 'error') this.error(field, label, message, rule, fields);
    else this.warn(field, label, message, rule, fields);
  }

  run(raw: unknown): ValidationResult {
    if (!isObj(raw)) {
      this.error(
        '',
        'Dữ liệu nộp',
        `Dữ liệu nộp phải là một đối tượng JSON có các mục schemaVersion, templateId, division, period, indicators, tables, narratives; nhận được ${show(raw)}.`,
        'schema.object',
      );
      return this.result();
    }
    const known = new Set(['schemaVersion', 'templateId', 'division', 'period', 'indicators', 'tables', 'narratives', 'confirmations']);
    for (const k of Object.keys(raw)) {
      if (!known.has(k)) this.error(k, k, `Mục ${q(k)} không có trong định dạng báo cáo; hãy xóa mục này.`, 'schema.unknown');
    }
    this.readConfirmations(own(raw, 'confirmations'));

    const version = own(raw, 'schemaVersion');
    if (version !== SUBMISSION_SCHEMA_VERSION) {
      this.error(
        'schemaVersion',
        'Phiên bản định dạng',
        `Phiên bản định dạng (schemaVersion) phải là 1; nhận được ${show(version)}.`,
        'schema.version',
      );
    }
    const templateId = own(raw, 'templateId');
    if (templateId !== this.template.id) {
      this.error(
        'templateId',
        'Mẫu báo cáo',
        `Mẫu báo cáo (templateId) phải là ${q(this.template.id)}; nhận được ${show(templateId)}.`,
        'schema.template',
      );
    }
    const division = this.readDivision(own(raw, 'division'));
    const period = this.readPeriod(own(raw, 'period'));

    const indicators = this.readIndicators(own(raw, 'indicators'), division);
    const tables = this.readTables(own(raw, 'tables'), division, indicators);
    const narratives = this.readNarratives(own(raw, 'narratives'), division);

    if (division) {
      this.checkRequired(division, indicators);
      this.checkRules(division, indicators);
      if (period) this.checkHistory(division, period, indicators);
    }

    const submission: Submission | undefined =
      division && period && this.errors.length === 0
        ? {
            schemaVersion: 1,
            templateId: this.template.id,
            division: division.id,
            period,
            indicators,
            tables,
            narratives,
            ...(Object.keys(this.confirmations).length ? { confirmations: this.confirmations } : {}),
          }
        : undefined;
    return this.result(submission);
  }

  private result(submission?: Submission): ValidationResult {
    const ok = this.errors.length === 0 && submission !== undefined;
    return { ok, ...(ok ? { submission } : {}), errors: this.errors, warnings: this.warnings };
  }

  private readConfirmations(v: unknown) {
    if (v === undefined || v === null) return;
    if (!isObj(v)) {
      this.error(
        'confirmations',
        'Xác nhận cảnh báo',
        `Mục xác nhận (confirmations) phải là đối tượng {mã quy tắc: giải trình}; nhận được ${show(v)}.`,
        'schema.type',
      );
      return;
    }
    for (const [rule, comment] of Object.entries(v)) {
      if (typeof comment !== 'string') {
        this.error(
          `confirmations.${rule}`,
          'Xác nhận cảnh báo',
          `Giải trình cho cảnh báo ${q(rule)} phải là một đoạn văn bản; nhận được ${show(comment)}.`,
          'schema.type',
        );
        continue;
      }
      const text = nfc(comment).replace(/\s+/g, ' ');
      if (text) this.confirmations[nfc(rule)] = text;
    }
  }

  private readDivision(v: unknown): Division | undefined {
    const divisions = this.ctx.organization.divisions;
    if (typeof v !== 'string' || v.trim() === '') {
      this.error(
        'division',
        'Phòng, đơn vị',
        `Chưa ghi mã phòng, đơn vị (division), ví dụ ${q(divisions[0]?.id ?? 'VP')}.`,
        'schema.required',
      );
      return undefined;
    }
    const id = v.trim();
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

  private readPeriod(v: unknown): string | undefined {
    if (typeof v !== 'string' || !isQuarter(v.trim())) {
      this.error(
        'period',
        'Kỳ báo cáo',
        `Kỳ báo cáo (period) phải là một quý dạng 2021-Q1 … 2021-Q4; nhận được ${show(v)}.`,
        'schema.period',
      );
      return undefined;
    }
    const id = v.trim();
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

  private readIndicators(v: unknown, division: Division | undefined): Record<string, number> {
    const out: Record<string, number> = {};
    if (v === undefined || v === null) return out;
    if (!isObj(v)) {
      this.error(
        'indicators',
        'Số liệu',
        `Mục số liệu (indicators) phải là đối tượng {mã chỉ tiêu: số}; nhận được ${show(v)}.`,
        'schema.type',
      );
      return out;
    }
    for (const [key, value] of Object.entries(v)) {
      const field = `indicators.${key}`;
      if (this.ratioIds.has(key)) {
        const r = this.template.ratios.find((x) => x.id === key)!;
        this.error(field, r.label, `${q(r.label)} được tính tự động từ số liệu, không nhập; hãy xóa mục này.`, 'ratio.typed');
        continue;
      }
      const ind = this.indicatorById.get(key);
      if (!ind) {
        this.error(field, key, `Chỉ tiêu ${q(key)} không có trong mẫu báo cáo; kiểm tra lại mã chỉ tiêu.`, 'schema.unknown');
        continue;
      }
      if (value === null || (typeof value === 'string' && value.trim() === '')) continue; // treated as not entered
      if (division && !ind.owners.includes(division.id)) {
        this.error(
          field,
          ind.label,
          `${q(ind.label)} do ${this.ownerNames(ind.owners)} nhập; ${division.name} không nhập chỉ tiêu này.`,
          'schema.owner',
        );
        continue;
      }
      const n = parseIntegerVi(value);
      if (n === undefined) {
        const negative = (typeof value === 'number' && value < 0) || (typeof value === 'string' && /^\s*-/.test(value));
        this.error(
          field,
          ind.label,
          negative
            ? `${q(ind.label)} không được là số âm; nhận được ${show(value)}.`
            : `${q(ind.label)} phải là số nguyên không âm (ví dụ 16075 hoặc “16.075”); nhận được ${show(value)}.`,
          'schema.integer',
        );
        continue;
      }
      out[key] = n;
    }
    return out;
  }

  private readTables(v: unknown, division: Division | undefined, indicators: Record<string, number>): Record<string, Row[]> {
    const out: Record<string, Row[]> = {};
    if (v === undefined || v === null) return out;
    if (!isObj(v)) {
      this.error(
        'tables',
        'Bảng số liệu',
        `Mục bảng (tables) phải là đối tượng {mã bảng: danh sách dòng}; nhận được ${show(v)}.`,
        'schema.type',
      );
      return out;
    }
    for (const [key, rowsRaw] of Object.entries(v)) {
      const field = `tables.${key}`;
      const table = this.tableById.get(key);
      if (!table) {
        this.error(field, key, `Bảng ${q(key)} không có trong mẫu báo cáo.`, 'schema.unknown');
        continue;
      }
      if (division && !table.owners.includes(division.id)) {
        this.error(
          field,
          table.label,
          `Bảng ${q(table.label)} do ${this.ownerNames(table.owners)} nhập; ${division.name} không nhập bảng này.`,
          'schema.owner',
        );
        continue;
      }
      if (!Array.isArray(rowsRaw)) {
        this.error(field, table.label, `Bảng ${q(table.label)} phải là danh sách các dòng; nhận được ${show(rowsRaw)}.`, 'schema.type');
        continue;
      }
      if (rowsRaw.length > MAX_ROWS) {
        this.error(field, table.label, `Bảng ${q(table.label)} có ${rowsRaw.length} dòng, vượt quá ${MAX_ROWS} dòng.`, 'schema.size');
        continue;
      }
      const rows: Row[] = [];
      rowsRaw.forEach((rowRaw, i) => {
        const row = this.readRow(table, rowRaw, i);
        if (row) rows.push(row);
      });
      out[key] = rows;
      this.checkTableIndicators(table, rows, indicators, division);
    }
    return out;
  }

  private readRow(table: Table, rowRaw: unknown, i: number): Row | undefined {
    const rowField = `tables.${table.id}[${i}]`;
    const rowLabel = `${table.label} — dòng ${i + 1}`;
    if (!isObj(rowRaw)) {
      this.error(
        rowField,
        rowLabel,
        `Dòng ${i + 1} của bảng ${q(table.label)} phải là đối tượng {mã cột: giá trị}; nhận được ${show(rowRaw)}.`,
        'schema.type',
      );
      return undefined;
    }
    const cols = new Map(table.columns.map((c) => [c.id, c]));
    for (const k of Object.keys(rowRaw)) {
      if (!cols.has(k))
        this.error(`${rowField}.${k}`, rowLabel, `Bảng ${q(table.label)} không có cột ${q(k)} (dòng ${i + 1}).`, 'schema.unknown');
    }
    const row: Row = {};
    let bad = false;
    for (const c of table.columns) {
      const field = `${rowField}.${c.id}`;
      const label = `${rowLabel} — ${columnLabel(c)}`;
      const value = own(rowRaw, c.id);
      const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (c.id === 'stt') continue; // renumbered at aggregation
      if (c.type === 'ratio') {
        if (!empty)
          this.error(
            field,
            label,
            `Cột ${q(columnLabel(c))} của bảng ${q(table.label)} được tính tự động, không nhập (dòng ${i + 1}); hãy để trống.`,
            'ratio.typed',
          );
        continue;
      }
      if (c.type === 'integer') {
        if (empty) {
          row[c.id] = null;
          continue;
        }
        const n = parseIntegerVi(value);
        if (n === undefined) {
          this.error(
            field,
            label,
            `Cột ${q(columnLabel(c))} (dòng ${i + 1}, bảng ${q(table.label)}) phải là số nguyên không âm; nhận được ${show(value)}.`,
            'schema.integer',
          );
          bad = true;
          continue;
        }
        row[c.id] = n;
        continue;
      }
      // text
      if (empty) {
        if (c.required) {
          this.error(field, label, `Chưa nhập cột ${q(columnLabel(c))} ở dòng ${i + 1} của bảng ${q(table.label)}.`, 'schema.required');
          bad = true;
        }
        row[c.id] = null;
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        this.error(
          field,
          label,
          `Cột ${q(columnLabel(c))} (dòng ${i + 1}, bảng ${q(table.label)}) phải là văn bản; nhận được ${show(value)}.`,
          'schema.type',
        );
        bad = true;
        continue;
      }
      const text = nfc(String(value));
      if (text.length > MAX_TEXT) {
        this.error(field, label, `Cột ${q(columnLabel(c))} (dòng ${i + 1}) dài quá ${fmt(MAX_TEXT)} ký tự.`, 'schema.size');
        bad = true;
        continue;
      }
      if (c.format === 'date' && !isDateVi(text)) {
        this.error(
          field,
          label,
          `Cột ${q(columnLabel(c))} (dòng ${i + 1}, bảng ${q(table.label)}) phải là ngày dạng dd/mm/yyyy, ví dụ 10/05/2021; nhận được ${show(text)}.`,
          'format.date',
        );
        bad = true;
      } else if (c.format === 'dateRange' && !isDateRangeVi(text)) {
        this.error(
          field,
          label,
          `Cột ${q(columnLabel(c))} (dòng ${i + 1}, bảng ${q(table.label)}) phải là khoảng ngày dạng dd/mm/yyyy-dd/mm/yyyy với ngày bắt đầu không sau ngày kết thúc, ví dụ 10/05/2021-19/05/2021; nhận được ${show(text)}.`,
          'format.date',
        );
        bad = true;
      } else if (c.format === 'docRef' && !isDocRef(text)) {
        this.error(
          field,
          label,
          `Cột ${q(columnLabel(c))} (dòng ${i + 1}, bảng ${q(table.label)}) phải ghi văn bản dạng “số N/XX-YYY ngày dd/mm/yyyy”, ví dụ “số 116/KH-SCT ngày 07/01/2021”; nhận được ${show(text)}.`,
          'format.docRef',
        );
        bad = true;
      }
      row[c.id] = text;
    }
    if (!bad) this.checkRowRules(table, row, i);
    return row;
  }

  private checkRowRules(table: Table, row: Row, i: number) {
    const cols = new Map(table.columns.map((c) => [c.id, c]));
    const field = (id: string) => `tables.${table.id}[${i}].${id}`;
    const lbl = (id: string) => q(columnLabel(cols.get(id)!));
    const val = (id: string) => row[id];
    for (const rule of table.rules) {
      if (rule.kind === 'cumulativeLte') continue;
      const ops = rule.kind === 'sumEquals' ? [...rule.parts, rule.total] : [...rule.left, rule.right];
      if (ops.some((o) => typeof val(o) !== 'number')) continue;
      const where = `(dòng ${i + 1}, bảng ${q(table.label)})`;
      const label = `${table.label} — dòng ${i + 1}`;
      if (rule.kind === 'sumEquals') {
        const sum = rule.parts.reduce((s, p) => s + (val(p) as number), 0);
        const total = val(rule.total) as number;
        if (sum !== total) {
          const parts = rule.parts.map((p) => `${lbl(p)} (${fmt(val(p) as number)})`).join(' cộng ');
          this.issue(
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
          this.issue(
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

  private readNarratives(v: unknown, division: Division | undefined): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (v === undefined || v === null) return out;
    if (!isObj(v)) {
      this.error(
        'narratives',
        'Nội dung báo cáo',
        `Mục nội dung (narratives) phải là đối tượng {mã mục: danh sách đoạn}; nhận được ${show(v)}.`,
        'schema.type',
      );
      return out;
    }
    for (const [key, itemsRaw] of Object.entries(v)) {
      const field = `narratives.${key}`;
      const nar = this.narrativeById.get(key);
      if (!nar) {
        this.error(field, key, `Mục nội dung ${q(key)} không có trong mẫu báo cáo.`, 'schema.unknown');
        continue;
      }
      if (division && !nar.owners.includes(division.id)) {
        this.error(
          field,
          nar.label,
          `Mục ${q(nar.label)} do ${this.ownerNames(nar.owners)} viết; ${division.name} không nhập mục này.`,
          'schema.owner',
        );
        continue;
      }
      const items = typeof itemsRaw === 'string' ? [itemsRaw] : itemsRaw;
      if (!Array.isArray(items)) {
        this.error(field, nar.label, `Mục ${q(nar.label)} phải là danh sách các đoạn văn bản; nhận được ${show(itemsRaw)}.`, 'schema.type');
        continue;
      }
      if (items.length > MAX_ITEMS) {
        this.error(field, nar.label, `Mục ${q(nar.label)} có quá nhiều đoạn (tối đa ${MAX_ITEMS}).`, 'schema.size');
        continue;
      }
      const texts: string[] = [];
      items.forEach((item, i) => {
        if (typeof item !== 'string') {
          this.error(
            `${field}[${i}]`,
            nar.label,
            `Đoạn ${i + 1} của mục ${q(nar.label)} phải là văn bản; nhận được ${show(item)}.`,
            'schema.type',
          );
          return;
        }
        const text = nfc(item);
        if (text.length > MAX_TEXT) {
          this.error(
            `${field}[${i}]`,
            nar.label,
            `Đoạn ${i + 1} của mục ${q(nar.label)} dài quá ${fmt(MAX_TEXT)} ký tự; hãy tách thành nhiều đoạn.`,
            'schema.size',
          );
          return;
        }
        if (text) texts.push(text);
      });
      out[key] = texts;
    }
    return out;
  }

  private checkRequired(division: Division, indicators: Record<string, number>) {
    for (const ind of this.template.indicators) {
      if (ind.owners.includes(division.id) && !Object.hasOwn(indicators, ind.id)) {
        this.error(
          `indicators.${ind.id}`,
          ind.label,
          `Chưa nhập ${q(ind.label)}${ind.unit ? ` (đơn vị: ${ind.unit})` : ''}; nếu không phát sinh, ghi 0.`,
          'schema.required',
        );
      }
    }
  }

  private checkRules(division: Division, indicators: Record<string, number>) {
    for (const rule of this.template.rules) {
      if (rule.kind === 'cumulativeLte') continue; // needs history, see checkHistory
      const ops = operands(rule);
      if (!ops.every((o) => Object.hasOwn(indicators, o))) continue;
      const lbl = (id: string) => q(this.indicatorById.get(id)!.label);
      const field = (id: string) => `indicators.${id}`;
      if (rule.kind === 'sumEquals') {
        const sum = rule.parts.reduce((s, p) => s + indicators[p], 0);
        if (sum !== indicators[rule.total]) {
          const parts = rule.parts.map((p) => `${lbl(p)} (${fmt(indicators[p])})`).join(' cộng ');
          this.issue(
            rule.severity,
            field(rule.total),
            this.indicatorById.get(rule.total)!.label,
            `${parts} phải bằng ${lbl(rule.total)} (${fmt(indicators[rule.total])}), nhưng tổng đang là ${fmt(sum)}.`,
            rule.id,
            ops.map(field),
          );
        }
      } else {
        const sum = rule.left.reduce((s, p) => s + indicators[p], 0);
        if (sum > indicators[rule.right]) {
          const left = rule.left.map((p) => `${lbl(p)} (${fmt(indicators[p])})`).join(' cộng ');
          this.issue(
            rule.severity,
            field(rule.left[0]),
            this.indicatorById.get(rule.left[0])!.label,
            `${left} không được lớn hơn ${lbl(rule.right)} (${fmt(indicators[rule.right])}).`,
            rule.id,
            ops.map(field),
          );
        }
      }
    }
    void division;
  }

  /** Earlier quarters of the same division: outliers and year-to-date limits. */
  private checkHistory(division: Division, period: string, indicators: Record<string, number>) {
    const byQuarter = new Map<string, Record<string, number>>();
    for (const h of this.ctx.history ?? []) {
      if (!isObj(h) || h.division !== division.id || h.templateId !== this.template.id) continue;
      if (typeof h.period !== 'string' || !isQuarter(h.period) || h.period >= period) continue;
      if (!isObj(h.indicators)) continue;
      byQuarter.set(h.period, h.indicators as Record<string, number>); // later entries win
    }
    const earlier = [...byQuarter.keys()].sort().reverse();
    const recent = earlier.slice(0, OUTLIER_QUARTERS);
    for (const ind of this.template.indicators) {
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
        this.warn(
          field,
          ind.label,
          `${q(ind.label)} = ${fmt(v)} cao bất thường: lớn hơn ${OUTLIER_FACTOR} lần mức cao nhất của các quý trước (${fmt(max)}).`,
          `outlier.${ind.id}`,
        );
      } else if (v * OUTLIER_FACTOR < min) {
        this.warn(
          field,
          ind.label,
          `${q(ind.label)} = ${fmt(v)} thấp bất thường: nhỏ hơn 1/${OUTLIER_FACTOR} mức thấp nhất của các quý trước (${fmt(min)}).`,
          `outlier.${ind.id}`,
        );
      }
    }
    const year = period.slice(0, 4);
    for (const rule of this.template.rules) {
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
        const lbl = (id: string) => q(this.indicatorById.get(id)!.label);
        this.issue(
          rule.severity,
          `indicators.${rule.left[0]}`,
          this.indicatorById.get(rule.left[0])!.label,
          `Lũy kế từ đầu năm ${year} của ${rule.left.map(lbl).join(' cộng ')} là ${fmt(sum)}, vượt ${lbl(rule.right)} (${fmt(right)}).`,
          rule.id,
          operands(rule).map((o) => `indicators.${o}`),
        );
      }
    }
  }
}

function operands(rule: Rule): string[] {
  return rule.kind === 'sumEquals' ? [...rule.parts, rule.total] : [...rule.left, rule.right];
}

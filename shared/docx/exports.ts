/**
 * Machine-readable companions of the report: the figures as plain JSON and as an .xlsx laid out
 * like form 06/VPCP/KSTT (STT, chỉ tiêu, đơn vị tính, số liệu), one sheet per table.
 * The approval history lives here (and in the .docx custom properties), never in the official body.
 */
import type ExcelJS from 'exceljs';
import type { Organization } from '../config/schema';
import type { AggregatedReport, CellValue } from '../domain/report';
import type { Column, ReportTemplate } from '../domain/template';
import { neutralizeFormula } from '../format/csv';
import { cleanText } from '../format/vi';
import { loadWorkbook } from './excel';
import type { ApprovalRecord } from './render';

export interface FiguresJson {
  templateId: string;
  period: { id: string; label: string; from: string; to: string };
  indicators: Array<{ id: string; label: string; unit: string; value: number | null }>;
  ratios: Array<{ id: string; label: string; unit: '%'; numerator: string; denominator: string; value: number | null }>;
  tables: Array<{
    id: string;
    label: string;
    columns: Array<{ id: string; label: string; type: Column['type']; group?: string }>;
    rows: Array<Record<string, CellValue>>;
    total: Record<string, CellValue> | null;
  }>;
}

/** Indicators and ratios in template order, with labels and units; null marks a figure nobody submitted. */
export function figuresJson(report: AggregatedReport, template: ReportTemplate): FiguresJson {
  return {
    templateId: template.id,
    period: { id: report.period.id, label: report.period.label, from: report.period.from, to: report.period.to },
    indicators: template.indicators.map((i) => ({
      id: i.id,
      label: i.label,
      unit: i.unit ?? '',
      value: typeof report.indicators[i.id] === 'number' ? report.indicators[i.id] : null,
    })),
    ratios: template.ratios.map((r) => ({
      id: r.id,
      label: r.label,
      unit: '%',
      numerator: r.numerator,
      denominator: r.denominator,
      value: report.ratios[r.id] ?? null,
    })),
    tables: template.tables.map((t) => ({
      id: t.id,
      label: t.label,
      columns: t.columns.map((c) => ({ id: c.id, label: c.label, type: c.type, ...(c.group ? { group: c.group } : {}) })),
      rows: report.tables[t.id]?.rows ?? [],
      total: report.tables[t.id]?.total ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------

const FONT = { name: 'Times New Roman', size: 12 };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const INT_FMT = '#,##0';
const PCT_FMT = '0.00';

function isoToVn(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Standard abbreviations of administrative reports, used before a sheet name drops words. */
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/thủ tục hành chính/giu, 'TTHC'],
  [/cải cách hành chính/giu, 'CCHC'],
  [/văn bản quy phạm pháp luật/giu, 'VBQPPL'],
  [/công nghệ thông tin/giu, 'CNTT'],
  [/cán bộ, công chức, viên chức/giu, 'CBCCVC'],
  [/dịch vụ công/giu, 'DVC'],
  [/chữ ký số/giu, 'CKS'],
  [/chứng thư số/giu, 'CTS'],
  [/thanh tra, kiểm tra/giu, 'TT, KT'],
  [/ủy ban nhân dân/giu, 'UBND'],
];

/** Excel's limit on a sheet name. */
const SHEET_MAX = 31;

/**
 * A sheet name within Excel's 31 characters, none of []:*?/\, unique in the workbook: the
 * template's own sheetName, else the label with the usual abbreviations, then whole words from
 * its end dropped — never a word cut in the middle.
 */
export function sheetName(wanted: string, used: Set<string>, declared?: string): string {
  const clean = (s: string) =>
    cleanText(s)
      .replace(/[[\]:*?/\\]/g, '-')
      .replace(/\s+/g, ' ')
      .trim();
  let base = clean(declared ?? wanted);
  if (!declared && base.length > SHEET_MAX) for (const [re, short] of ABBREVIATIONS) base = base.replace(re, short);
  const shorten = (s: string, max: number) => {
    if (s.length <= max) return s;
    const words = s.split(' ');
    while (words.length > 1 && words.join(' ').length > max) words.pop();
    return words
      .join(' ')
      .replace(/[,;.\-–]+$/, '')
      .slice(0, max);
  };
  base = shorten(base, SHEET_MAX) || 'Bang';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${shorten(base, SHEET_MAX - String(n).length - 1)} ${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** A label as the period reads it: an annual form never says "trong quý". */
function forPeriod(label: string, report: AggregatedReport): string {
  return report.period.kind === 'quarter' ? label : label.replace(/trong quý/gu, `trong ${report.period.label}`);
}

/** Fit to one page wide, as many pages tall as needed, on A4. */
function printSetup(landscape: boolean): Partial<ExcelJS.PageSetup> {
  return { paperSize: 9, orientation: landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
}

function titleBlock(ws: ExcelJS.Worksheet, org: Organization, report: AggregatedReport, title: string, width: number) {
  ws.addRow([cleanText(org.parentBody)]).font = FONT;
  ws.addRow([cleanText(org.agency)]).font = { ...FONT, bold: true };
  ws.addRow([]);
  const t = ws.addRow([cleanText(title)]);
  t.font = { ...FONT, size: 14, bold: true };
  ws.mergeCells(t.number, 1, t.number, width);
  t.getCell(1).alignment = { horizontal: 'center' };
  const p = ws.addRow([
    cleanText(`Kỳ báo cáo: ${report.period.label} (số liệu từ ${isoToVn(report.period.from)} đến ${isoToVn(report.period.to)})`),
  ]);
  p.font = { ...FONT, italic: true };
  ws.mergeCells(p.number, 1, p.number, width);
  p.getCell(1).alignment = { horizontal: 'center' };
  ws.addRow([]);
}

function styleHeader(row: ExcelJS.Row) {
  row.eachCell({ includeEmpty: true }, (c) => {
    c.font = { ...FONT, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = THIN;
  });
}

function styleBody(row: ExcelJS.Row, bold = false) {
  row.eachCell({ includeEmpty: true }, (c) => {
    c.font = { ...FONT, bold };
    c.border = THIN;
    c.alignment = { vertical: 'middle', wrapText: typeof c.value === 'string', horizontal: typeof c.value === 'number' ? 'right' : 'left' };
  });
}

/**
 * Text that came from a submission or a person (table cells, approvers): always a plain string
 * (exceljs writes strings as text, never as a formula), and with a leading apostrophe when it
 * starts like a formula, so the cell stays inert when someone edits it or saves the sheet as CSV.
 */
function userText(s: string): string {
  return neutralizeFormula(cleanText(s));
}

/**
 * Numbers stay numbers (ratios as percentages, e.g. 98.95) so the sheet can be recomputed.
 * Anything that is neither a finite number nor a string (an object smuggled in through JSON,
 * { formula: … } or { hyperlink: … } would become a live cell in exceljs) is written as nothing.
 */
function cellValue(v: unknown): ExcelJS.CellValue {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v !== '') return userText(v);
  return null;
}

export interface FiguresXlsxOptions {
  /** Adds a "Lịch sử phê duyệt" sheet. */
  approvals?: ApprovalRecord[];
}

export async function figuresXlsx(
  report: AggregatedReport,
  template: ReportTemplate,
  organization: Organization,
  options: FiguresXlsxOptions = {},
): Promise<Buffer> {
  const wb = new (await loadWorkbook())();
  wb.creator = cleanText(organization.agencyName);
  const used = new Set<string>();

  // Sheet 1: the indicator list, as form 06/VPCP/KSTT lays it out.
  const ws = wb.addWorksheet(sheetName('Tổng hợp', used), { pageSetup: printSetup(false) });
  ws.columns = [{ width: 6 }, { width: 60 }, { width: 14 }, { width: 14 }];
  titleBlock(ws, organization, report, 'BIỂU TỔNG HỢP SỐ LIỆU', 4);
  styleHeader(ws.addRow(['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Số liệu']));
  let stt = 0;
  for (const i of template.indicators) {
    const v = report.indicators[i.id];
    const row = ws.addRow([
      ++stt,
      cleanText(forPeriod(i.label, report)),
      cleanText(i.unit ?? ''),
      cellValue(typeof v === 'number' ? v : null),
    ]);
    styleBody(row);
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(4).numFmt = INT_FMT;
  }
  for (const r of template.ratios) {
    const row = ws.addRow([++stt, cleanText(forPeriod(r.label, report)), '%', cellValue(report.ratios[r.id])]);
    styleBody(row);
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(4).numFmt = PCT_FMT;
  }

  // One sheet per table, with the same grouped headers as the document.
  template.tables.forEach((t, index) => {
    // Hidden columns (a ratio's denominator nobody reads) are entered, never printed: as in the .docx.
    const cols = t.columns.filter((c) => !c.hidden);
    const widths = cols.map((c) => (c.id.toLowerCase() === 'stt' ? 6 : c.type === 'text' ? 36 : 14));
    // Landscape where the columns are wider than a portrait page (about 90 characters of 12 pt).
    const wide = t.landscape || widths.reduce((a, b) => a + b, 0) > 90;
    const sheet = wb.addWorksheet(sheetName(`${index + 1}. ${t.label}`, used, t.sheetName && `${index + 1}. ${t.sheetName}`), {
      pageSetup: printSetup(wide),
    });
    sheet.columns = widths.map((width) => ({ width }));
    titleBlock(sheet, organization, report, t.label, cols.length);
    const label = (c: Column) => cleanText(forPeriod(c.label, report));
    const grouped = cols.some((c) => c.group);
    const top = sheet.addRow(cols.map((c) => (c.group ? cleanText(forPeriod(c.group, report)) : label(c))));
    styleHeader(top);
    if (grouped) {
      const bottom = sheet.addRow(cols.map(label));
      styleHeader(bottom);
      for (let i = 0; i < cols.length; ) {
        const g = cols[i].group;
        let j = i + 1;
        if (!g) {
          sheet.mergeCells(top.number, i + 1, bottom.number, i + 1);
        } else {
          while (j < cols.length && cols[j].group === g) j++;
          if (j - i > 1) sheet.mergeCells(top.number, i + 1, top.number, j);
        }
        i = j;
      }
    }
    const data = report.tables[t.id];
    const addBody = (values: Record<string, CellValue>, bold: boolean) => {
      const row = sheet.addRow(cols.map((c) => cellValue(values[c.id])));
      styleBody(row, bold);
      cols.forEach((c, k) => {
        if (c.type === 'integer') row.getCell(k + 1).numFmt = INT_FMT;
        if (c.type === 'ratio') row.getCell(k + 1).numFmt = PCT_FMT;
      });
      return row;
    };
    for (const r of data?.rows ?? []) addBody(r, false);
    if (t.totalLabel && data?.total) {
      // "Tổng" once, merged over the leading columns without a total of their own (as the .docx).
      let span = 1;
      while (span < cols.length) {
        const c = cols[span];
        const v = data.total[c.id];
        if (c.type !== 'text' || (v !== null && v !== undefined && v !== '' && v !== t.totalLabel)) break;
        span++;
      }
      const values: Record<string, CellValue> = { ...data.total };
      for (const c of cols.slice(0, span)) values[c.id] = null;
      values[cols[0].id] = t.totalLabel;
      const row = addBody(values, true);
      if (span > 1) sheet.mergeCells(row.number, 1, row.number, span);
      row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    }
  });

  // Who had sent their figures: the compiler's completeness view, kept with the numbers.
  if (report.completeness.length) {
    const cs = wb.addWorksheet(sheetName('Tình hình gửi số liệu', used));
    cs.columns = [{ width: 6 }, { width: 44 }, { width: 28 }, { width: 28 }, { width: 28 }];
    styleHeader(cs.addRow(['STT', 'Phòng, đơn vị', 'Đã gửi', 'Chưa gửi', 'Gửi trễ hạn']));
    for (const [i, d] of report.completeness.entries()) {
      styleBody(cs.addRow([i + 1, userText(d.divisionName), d.submitted.join(', '), d.missing.join(', '), d.late.join(', ')]));
    }
  }

  if (options.approvals?.length) {
    const as = wb.addWorksheet(sheetName('Lịch sử phê duyệt', used));
    as.columns = [{ width: 6 }, { width: 28 }, { width: 32 }, { width: 26 }];
    styleHeader(as.addRow(['STT', 'Chức vụ', 'Người phê duyệt', 'Thời điểm']));
    for (const [i, a] of options.approvals.entries())
      styleBody(as.addRow([i + 1, userText(a.role), userText(a.name), userText(a.decidedAt)]));
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

import type ExcelJS from 'exceljs';
import type { Organization } from '../../config/schema';
import { loadWorkbook } from '../../docx/excel';
import { parsePeriod } from '../../domain/periods';
import type { Submission } from '../../domain/submission';
import type { ReportTemplate } from '../../domain/template';
import { AppError } from '../../errors';
import { FORMAT_HINT, formModel } from './form-model';
import { INDICATOR_VALUE_COL, sheetName, XLSX_SHEETS } from './xlsx-layout';
import { checkZip, zipProblemMessage } from './zip-guard';

/**
 * The .xlsx a division can fill instead of the web form: a "Thông tin" sheet (who, which
 * quarter, and which sheet holds which table), one "Chỉ tiêu" sheet, one sheet per table and
 * one "Nội dung" sheet. Codes sit in column A / a hidden row so that parsing never depends on
 * labels or sheet names a clerk may retype.
 */

const INFO = XLSX_SHEETS.info;
const INDICATORS = XLSX_SHEETS.indicators;
const NARRATIVES = XLSX_SHEETS.narratives;
const TABLE_MARK = 'Bảng';
const VALUE_COL = INDICATOR_VALUE_COL;

const bold = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'top' };
};

export async function buildSubmissionXlsx(p: {
  template: ReportTemplate;
  organization: Organization;
  divisionId: string;
  periodId: string;
  prefill?: Submission;
}): Promise<Buffer> {
  const model = formModel(p.template, p.divisionId);
  const division = p.organization.divisions.find((d) => d.id === p.divisionId);
  const pre = p.prefill;
  const wb = new (await loadWorkbook())();
  wb.creator = 'Hệ thống báo cáo định kỳ';

  const info = wb.addWorksheet(INFO);
  info.columns = [{ width: 22 }, { width: 40 }, { width: 30 }];
  info.addRow(['Mẫu nhập số liệu báo cáo', p.template.id]);
  info.addRow(['Phòng, đơn vị', p.divisionId, division?.name ?? '']);
  info.addRow(['Kỳ báo cáo', p.periodId, parsePeriod(p.periodId).label]);
  info.addRow([]);
  info.addRow(['Hướng dẫn', 'Điền số liệu vào các trang tính; không sửa cột mã và các dòng tiêu đề. Số có thể ghi 16075 hoặc 16.075.']);

  const ind = wb.addWorksheet(INDICATORS);
  ind.columns = [{ width: 18 }, { width: 60 }, { width: 12 }, { width: 14 }, { width: 50 }];
  bold(ind.addRow(['Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị tính', 'Số liệu', 'Hướng dẫn']));
  for (const i of model.indicators) {
    const v = pre?.indicators[i.id];
    ind.addRow([i.id, i.label, i.unit, typeof v === 'number' ? v : null, i.help ?? '']);
  }

  model.tables.forEach((t, ti) => {
    const name = sheetName(ti, t.label);
    info.addRow([TABLE_MARK, name, t.id]);
    const ws = wb.addWorksheet(name);
    ws.columns = t.columns.map((c) => ({ width: c.type === 'integer' ? 14 : 30 }));
    bold(ws.addRow([t.label]));
    bold(ws.addRow(t.columns.map((c) => `${c.label}${c.required ? ' (*)' : ''}${c.format ? ` — ${FORMAT_HINT[c.format]}` : ''}`)));
    const ids = ws.addRow(t.columns.map((c) => c.id));
    ids.hidden = true;
    for (const r of pre?.tables[t.id] ?? []) ws.addRow(t.columns.map((c) => r[c.id] ?? null));
  });

  const nar = wb.addWorksheet(NARRATIVES);
  nar.columns = [{ width: 22 }, { width: 40 }, { width: 100 }];
  bold(nar.addRow(['Mã mục', 'Mục', 'Nội dung (mỗi dòng một gạch đầu dòng; dòng để trống cột A thuộc mục ở trên)']));
  for (const n of model.narratives) {
    const items = pre?.narratives[n.id] ?? [];
    if (items.length === 0) nar.addRow([n.id, n.label, '']);
    for (const [k, text] of items.entries()) nar.addRow([k === 0 ? n.id : '', k === 0 ? n.label : '', text]);
  }
  nar.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Plain text or number of a cell, whatever Excel stored (rich text, formula result, hyperlink, date). */
function cellValue(v: ExcelJS.CellValue): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
  }
  if (typeof v === 'object') {
    if ('richText' in v) return cellValue(v.richText.map((t) => t.text).join(''));
    if ('result' in v) return cellValue((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v) return cellValue(String(v.text));
    if ('error' in v) return null;
  }
  return null;
}

const text = (v: ExcelJS.CellValue) => {
  const c = cellValue(v);
  return c === null ? '' : String(c).trim();
};

export class XlsxFormatError extends AppError {
  override name = 'XlsxFormatError';
}

/**
 * Reads a filled workbook into a submission as a file would carry it (numbers may still be
 * "16.075"); validateSubmission does the checking. Throws XlsxFormatError (Vietnamese) when the
 * workbook is not our template at all.
 */
export async function parseSubmissionXlsx(template: ReportTemplate, data: Buffer): Promise<Record<string, unknown>> {
  // Before anything expands it: a small file may hold gigabytes of XML.
  const problem = checkZip(data);
  if (problem) throw new XlsxFormatError(zipProblemMessage(problem));
  const wb = new (await loadWorkbook())();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new XlsxFormatError('Tệp không phải bảng tính Excel (.xlsx) đọc được; hãy lưu lại theo định dạng .xlsx.');
  }
  const info = wb.getWorksheet(INFO);
  if (!info) throw new XlsxFormatError(`Tệp Excel không có trang "${INFO}"; hãy dùng đúng mẫu tải từ trang nộp báo cáo.`);
  let division = '';
  let period = '';
  let templateId = '';
  const tableSheets: Array<[string, string]> = [];
  info.eachRow((row) => {
    const k = text(row.getCell(1).value);
    if (k === 'Mẫu nhập số liệu báo cáo') templateId = text(row.getCell(2).value);
    else if (k === 'Phòng, đơn vị') division = text(row.getCell(2).value);
    else if (k === 'Kỳ báo cáo') period = text(row.getCell(2).value);
    else if (k === TABLE_MARK) tableSheets.push([text(row.getCell(2).value), text(row.getCell(3).value)]);
  });

  // Codes come from the file: Maps, so "__proto__" or "toString" is just an unknown code.
  const indicators = new Map<string, string | number>();
  wb.getWorksheet(INDICATORS)?.eachRow((row, n) => {
    if (n === 1) return;
    const id = text(row.getCell(1).value);
    const v = cellValue(row.getCell(VALUE_COL).value);
    if (id && v !== null) indicators.set(id, typeof v === 'number' ? v : v.trim());
  });

  const tables = new Map<string, Array<Record<string, string | number | null>>>();
  for (const [name, id] of tableSheets) {
    const ws = wb.getWorksheet(name);
    if (!ws || !template.tables.some((t) => t.id === id)) continue;
    const ids: string[] = [];
    ws.getRow(3).eachCell({ includeEmpty: false }, (cell, col) => {
      ids[col] = text(cell.value);
    });
    const rows: Array<Record<string, string | number | null>> = [];
    ws.eachRow((row, n) => {
      if (n <= 3) return;
      const r = new Map<string, string | number | null>();
      let filled = false;
      ids.forEach((cid, col) => {
        if (!cid) return;
        const v = cellValue(row.getCell(col).value);
        r.set(cid, v);
        if (v !== null) filled = true;
      });
      if (filled) rows.push(Object.fromEntries(r));
    });
    tables.set(id, rows);
  }

  const narratives = new Map<string, string[]>();
  let current = '';
  wb.getWorksheet(NARRATIVES)?.eachRow((row, n) => {
    if (n === 1) return;
    const id = text(row.getCell(1).value);
    if (id) current = id;
    const t = text(row.getCell(3).value);
    if (!current || !t) return;
    const items = narratives.get(current) ?? [];
    items.push(t);
    narratives.set(current, items);
  });

  // Object.fromEntries defines own properties: an odd code stays data and is refused by name.
  return {
    schemaVersion: 1,
    templateId,
    division,
    period,
    indicators: Object.fromEntries(indicators),
    tables: Object.fromEntries(tables),
    narratives: Object.fromEntries(narratives),
  };
}

import type { FormModel } from './form-model';

/**
 * Where each field sits in the .xlsx template (shared by the workbook builder and the browser
 * script, which names the sheet and cell of an error found in an uploaded workbook).
 */
export const XLSX_SHEETS = { info: 'Thông tin', indicators: 'Chỉ tiêu', narratives: 'Nội dung' } as const;
/** Indicators: value in column D, first indicator on row 2. */
export const INDICATOR_VALUE_COL = 4;
/** Table sheets: title, header, hidden codes, then data from row 4. */
export const TABLE_FIRST_ROW = 4;

/** Excel: at most 31 characters, none of : \ / ? * [ ]; cut on a word so no name ends mid-word. */
export function sheetName(i: number, label: string): string {
  const full = `B${i + 1} ${label.replace(/[:\\/?*[\]]/g, ' ').replace(/\s+/g, ' ')}`.trim();
  if (full.length <= 31) return full;
  const cut = full.slice(0, 30);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 3 ? cut.lastIndexOf(' ') : 30).trim()}…`;
}

const colLetter = (n: number) => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** "indicators.x" → 'trang “Chỉ tiêu”, ô D5'; a table cell likewise; undefined when unknown. */
export function xlsxPlace(model: FormModel, field: string): string | undefined {
  const ind = /^indicators\.([A-Za-z0-9_]+)$/.exec(field);
  if (ind) {
    const i = model.indicators.findIndex((x) => x.id === ind[1]);
    return i < 0 ? undefined : `trang “${XLSX_SHEETS.indicators}”, ô ${colLetter(INDICATOR_VALUE_COL)}${i + 2}`;
  }
  const tab = /^tables\.([A-Za-z0-9_]+)(?:\[(\d+)\](?:\.([A-Za-z0-9_]+))?)?/.exec(field);
  if (tab) {
    const ti = model.tables.findIndex((t) => t.id === tab[1]);
    if (ti < 0) return undefined;
    const t = model.tables[ti];
    const sheet = `trang “${sheetName(ti, t.label)}”`;
    if (tab[2] === undefined) return sheet;
    const row = TABLE_FIRST_ROW + Number(tab[2]);
    const ci = tab[3] ? t.columns.findIndex((c) => c.id === tab[3]) : -1;
    return ci < 0 ? `${sheet}, dòng ${row}` : `${sheet}, ô ${colLetter(ci + 1)}${row}`;
  }
  if (field.startsWith('narratives.')) return `trang “${XLSX_SHEETS.narratives}”`;
  return undefined;
}

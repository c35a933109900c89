/**
 * The .xlsx of the sample annual report, read back with exceljs: the same header groups as the
 * .docx (no hidden column), sheet names within 31 characters made of whole words or the usual
 * abbreviations, print setup fit to the page width, labels by period type, one merged "Tổng".
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { figuresXlsx, sheetName } from '../../shared/docx/exports';
import { sampleAnnualAggregate, sampleOrganization, sampleTemplate } from '../support/sample-report';

let wb: ExcelJS.Workbook;
const texts = (ws: ExcelJS.Worksheet) => {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'string' && out.push(c.value))));
  return out;
};
const findRow = (ws: ExcelJS.Worksheet, first: string) => {
  let hit: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!hit && row.getCell(1).value === first) hit = row;
  });
  return hit!;
};
const tableSheet = (id: string) => {
  const index = sampleTemplate.tables.findIndex((t) => t.id === id);
  return wb.worksheets.find((w) => w.name.startsWith(`${index + 1}. `))!;
};

beforeAll(async () => {
  wb = new ExcelJS.Workbook();
  const buffer = await figuresXlsx(sampleAnnualAggregate(), sampleTemplate, sampleOrganization);
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
});

describe('the figures workbook of the annual report', () => {
  it("names every sheet within 31 characters: the template's name, or whole words and standard abbreviations", () => {
    const abbreviations = new Set(['TTHC', 'CCHC', 'VBQPPL', 'CNTT', 'CBCCVC', 'DVC', 'CKS', 'CTS', 'TT', 'KT', 'UBND']);
    for (const [k, t] of sampleTemplate.tables.entries()) {
      const name = wb.worksheets.find((w) => w.name.startsWith(`${k + 1}. `))?.name;
      expect(name, t.id).toBe(`${k + 1}. ${t.sheetName}`);
      expect(name!.length).toBeLessThanOrEqual(31);
      // Without a declared name, the rule: abbreviations, then whole words dropped from the end.
      const ruled = sheetName(`${k + 1}. ${t.label}`, new Set());
      expect(ruled.length).toBeLessThanOrEqual(31);
      const words = new Set(`${k + 1}. ${t.label}`.split(/\s+/).map((w) => w.replace(/[,;]$/, '')));
      for (const w of ruled.split(' ').map((x) => x.replace(/[,;]$/, '')))
        expect(words.has(w) || abbreviations.has(w), `${ruled}: "${w}"`).toBe(true);
    }
    expect(sheetName('Kết quả thanh tra, kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính', new Set())).toBe(
      'Kết quả TT, KT việc chấp hành',
    );
  });

  it('groups the digital-signature header as the document does, without the hidden column', () => {
    const ws = tableSheet('chuKySo');
    expect(texts(ws)).not.toContain('Số được cấp');
    const header = findRow(ws, 'STT');
    const groupCells = [1, 2, 3, 4, 5].map((c) => header.getCell(c));
    const group = groupCells.filter((c) => c.value === 'Năm (Quý) báo cáo');
    // One merged group over "Số lượng" and "Tỷ lệ": the master cell and one merged neighbour.
    expect(group).toHaveLength(2);
    expect(group[1].isMerged && group[1].master.address).toBe(group[0].address);
    const below = ws.getRow(header.number + 1);
    expect([below.getCell(4).value, below.getCell(5).value]).toEqual(['Số lượng', 'Tỷ lệ']);
  });

  it('prints "Tổng" once, merged over the label columns', () => {
    const ws = tableSheet('lienThongTthc');
    const total = findRow(ws, 'Tổng');
    expect(total.getCell(2).isMerged).toBe(true);
    expect(total.getCell(2).master.address).toBe(total.getCell(1).address);
    const values: unknown[] = [];
    total.eachCell((c) => void (!c.isMerged || c.master === c ? values.push(c.value) : undefined));
    expect(values.filter((v) => v === 'Tổng')).toHaveLength(1);
  });

  it('fits every sheet to the page width, landscape where the columns are wide', () => {
    for (const ws of wb.worksheets.slice(0, 1 + sampleTemplate.tables.length)) {
      expect(ws.pageSetup.fitToPage, ws.name).toBe(true);
      expect(ws.pageSetup.fitToWidth, ws.name).toBe(1);
      expect(ws.pageSetup.fitToHeight, ws.name).toBe(0);
    }
    expect(tableSheet('vanBanDienTu').pageSetup.orientation).toBe('landscape');
    expect(wb.worksheets[0].pageSetup.orientation).toBe('portrait');
  });

  it('labels the figures by the period: an annual form never says "trong quý"', () => {
    const all = wb.worksheets.flatMap(texts).join('\n');
    expect(all).not.toMatch(/trong quý/);
    expect(all).toContain('được ban hành trong năm 2021');
  });
});

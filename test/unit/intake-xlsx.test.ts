import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { type Submission, validateSubmission } from '../../shared/domain/submission';
import { buildSubmissionXlsx, parseSubmissionXlsx, XlsxFormatError } from '../../shared/features/intake/xlsx';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';

const template = getTemplate('cchc');
const ctx = (division: string, period: string) => ({ organization, expectedDivision: division, expectedPeriod: period });

describe('xlsx template', () => {
  it('round-trips a full submission: template prefilled → parsed → validates to the same submission', async () => {
    const original = validateSubmission(template, vp, ctx('VP', '2021-Q1'));
    expect(original.ok).toBe(true);
    const file = await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1', prefill: original.submission });
    const parsed = await parseSubmissionXlsx(template, file);
    const again = validateSubmission(template, parsed, ctx('VP', '2021-Q1'));
    expect(again.errors).toEqual([]);
    const strip = (s: Submission) => ({ ...s, confirmations: undefined });
    expect(strip(again.submission!)).toEqual(strip(original.submission!));
  });

  it('reads a blank template filled in by hand, with "16.075"-style numbers and extra bullet rows', async () => {
    const file = await buildSubmissionXlsx({ template, organization, divisionId: 'TTKC', periodId: '2021-Q2' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Thông tin', 'Chỉ tiêu', 'Nội dung']);
    const ind = wb.getWorksheet('Chỉ tiêu')!;
    ind.getRow(2).getCell(4).value = '1.204';
    const nar = wb.getWorksheet('Nội dung')!;
    const first = nar.getRow(2);
    expect(first.getCell(1).value).toBe('tuyenTruyenKstthc');
    first.getCell(3).value = 'Đăng 12 tin về kiểm soát TTHC.';
    nar.insertRow(3, ['', '', 'Tổ chức 1 hội nghị tuyên truyền.']);
    const parsed = await parseSubmissionXlsx(template, Buffer.from(await wb.xlsx.writeBuffer()));
    const res = validateSubmission(template, parsed, ctx('TTKC', '2021-Q2'));
    expect(res.errors).toEqual([]);
    expect(res.submission?.indicators).toEqual({ tinBai: 1204 });
    expect(res.submission?.narratives.tuyenTruyenKstthc).toEqual(['Đăng 12 tin về kiểm soát TTHC.', 'Tổ chức 1 hội nghị tuyên truyền.']);
  });

  it('reports a table row error against the row and column', async () => {
    const file = await buildSubmissionXlsx({ template, organization, divisionId: 'TTRA', periodId: '2021-Q1' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.worksheets.find((w) => w.name.startsWith('B1'))!;
    sheet.addRow(['Phòng Quản lý Thương mại', '19/05/2021-10/05/2021']);
    const parsed = await parseSubmissionXlsx(template, Buffer.from(await wb.xlsx.writeBuffer()));
    const res = validateSubmission(template, parsed, ctx('TTRA', '2021-Q1'));
    expect(res.ok).toBe(false);
    expect(res.errors.map((e) => e.field)).toContain('tables.thanhTraKiemTra[0].thoiGian');
  });

  it('refuses a file that is not a workbook, or not our template, in Vietnamese', async () => {
    await expect(parseSubmissionXlsx(template, Buffer.from('not a zip'))).rejects.toThrow(XlsxFormatError);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1');
    await expect(parseSubmissionXlsx(template, Buffer.from(await other.xlsx.writeBuffer()))).rejects.toThrow('Thông tin');
  });
});

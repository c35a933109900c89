import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { type Submission, validateSubmission } from '../../shared/domain/submission';
import { buildSubmissionXlsx, parseSubmissionXlsx, XlsxFormatError } from '../../shared/features/intake/xlsx';
import { getTemplate } from '../../shared/templates';
import { DEPARTMENTS } from '../support/departments';

const template = getTemplate('cchc');
const ctx = (division: string, period: string) => ({ organization, expectedDivision: division, expectedPeriod: period });

describe.each(DEPARTMENTS)('xlsx template of $name', (dept) => {
  const files = (dept.files as Submission[]).filter((f) => f.period === dept.quarters[0]);
  it.each(files.map((f) => [f.division, f]))(
    'round-trips the submission of %s: template prefilled → parsed → validates to the same submission',
    async (division, file) => {
      const c = { organization: dept.organization, expectedDivision: division, expectedPeriod: file.period };
      const original = validateSubmission(dept.template, file, c);
      expect(original.ok).toBe(true);
      const xlsx = await buildSubmissionXlsx({
        template: dept.template,
        organization: dept.organization,
        divisionId: division,
        periodId: file.period,
        prefill: original.submission,
      });
      const again = validateSubmission(dept.template, await parseSubmissionXlsx(dept.template, xlsx), c);
      expect(again.errors).toEqual([]);
      // A table sheet left without rows reads as an empty table: the same as not sending it.
      const strip = (s: Submission) => ({
        ...s,
        confirmations: undefined,
        tables: Object.fromEntries(Object.entries(s.tables).filter(([, rows]) => rows.length > 0)),
      });
      expect(strip(again.submission!)).toEqual(strip(original.submission!));
    },
  );
});

describe('xlsx template', () => {
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

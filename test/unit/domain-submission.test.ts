import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { isDateRangeVi, isDocRef, type Submission, validateSubmission } from '../../shared/domain/submission';
import { sampleSubmissions } from '../../shared/sample';
import { getTemplate } from '../../shared/templates';
import { submissionJsonSchema } from '../../shared/templates/submission-json-schema';

const template = getTemplate('cchc');
const ctx = { organization };
const sample = (division: string, period: string): Submission =>
  structuredClone(sampleSubmissions.find((s) => s.division === division && s.period === period)!);
const vpQ1 = () => sample('VP', '2021-Q1') as unknown as Record<string, any>;
const check = (raw: unknown, extra: Partial<Parameters<typeof validateSubmission>[2]> = {}) =>
  validateSubmission(template, raw, { ...ctx, ...extra });
const rules = (issues: { rule: string }[]) => issues.map((i) => i.rule);

describe('validateSubmission: the samples', () => {
  // Every sample file of both departments is accepted: test/unit/departments.test.ts (parametrized).

  it('accepts the example of docs/submission.md', () => {
    const md = readFileSync(new URL('../../docs/submission.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(md)![1];
    const r = check(JSON.parse(json));
    expect(r.errors).toEqual([]);
    expect(r.submission?.indicators.hoSoTiepNhan).toBe(3412);
  });

  it('keeps docs/submission-schema.json in step with the zod schema', () => {
    const file = readFileSync(new URL('../../docs/submission-schema.json', import.meta.url), 'utf8');
    expect(file).toBe(submissionJsonSchema());
  });
});

describe('validateSubmission: normalization', () => {
  it('parses numbers written Vietnamese-style and returns NFC, trimmed text', () => {
    const raw = vpQ1();
    raw.indicators.hoSoTiepNhan = '3.412';
    raw.indicators.vanBanTong = ' 5 523 ';
    raw.narratives.kiemSoatTthc = [`${'  Về kiểm soát TTHC: Sở Công Thương'.normalize('NFD')}  `, '   '];
    const r = check(raw);
    expect(r.errors).toEqual([]);
    expect(r.submission!.indicators.hoSoTiepNhan).toBe(3412);
    expect(r.submission!.indicators.vanBanTong).toBe(5523);
    expect(r.submission!.narratives.kiemSoatTthc).toEqual(['Về kiểm soát TTHC: Sở Công Thương'.normalize('NFC')]);
  });

  it('fills an indicator left out from the total of the table column linked to it', () => {
    const raw = vpQ1();
    delete raw.indicators.hoSoTiepNhan;
    const r = check(raw);
    expect(r.errors).toEqual([]);
    expect(r.submission!.indicators.hoSoTiepNhan).toBe(3412);
  });
});

describe('validateSubmission: schema rules', () => {
  it('rejects anything but an object', () => {
    for (const raw of [null, 42, 'x', [], undefined]) {
      const r = check(raw);
      expect(r.ok).toBe(false);
      expect(rules(r.errors)).toEqual(['schema.object']);
      expect(r.errors[0].message).toMatch(/phải là một đối tượng JSON/);
    }
  });

  it('rejects a wrong schema version or template', () => {
    const raw = vpQ1();
    raw.schemaVersion = 2;
    raw.templateId = 'khac';
    const r = check(raw);
    expect(rules(r.errors)).toEqual(expect.arrayContaining(['schema.version', 'schema.template']));
    expect(r.errors.find((e) => e.rule === 'schema.template')!.message).toContain('“cchc”');
  });

  it('rejects an unknown division and names the valid ones', () => {
    const raw = vpQ1();
    raw.division = 'XYZ';
    const r = check(raw);
    const e = r.errors.find((x) => x.rule === 'schema.division')!;
    expect(e.field).toBe('division');
    expect(e.message).toMatch(/“XYZ” không có trong danh sách.*VP, TTRA/);
    expect(check(vpQ1()).errors).toEqual([]);
  });

  it('rejects a division other than the one the link is for', () => {
    const r = check(vpQ1(), { expectedDivision: 'QLTM' });
    expect(rules(r.errors)).toContain('schema.division.mismatch');
    expect(r.errors[0].message).toContain('Phòng Quản lý Thương mại');
    expect(check(vpQ1(), { expectedDivision: 'VP' }).ok).toBe(true);
  });

  it('rejects a period that is not a quarter, or not the link’s quarter', () => {
    const raw = vpQ1();
    raw.period = '2021';
    expect(rules(check(raw).errors)).toContain('schema.period');
    expect(check(raw).errors.find((e) => e.rule === 'schema.period')!.message).toMatch(/phải là một quý dạng 2021-Q1/);
    const r = check(vpQ1(), { expectedPeriod: '2021-Q2' });
    expect(rules(r.errors)).toContain('schema.period.mismatch');
    expect(r.errors[0].message).toMatch(/quý II năm 2021.*quý I năm 2021/);
    expect(check(vpQ1(), { expectedPeriod: '2021-Q1' }).ok).toBe(true);
  });

  it('rejects unknown indicators, tables, columns, narratives and top-level fields', () => {
    const raw = vpQ1();
    raw.indicators.khongCo = 1;
    raw.tables.bangLa = [];
    raw.tables.dichVuCongTrucTuyen[0].cotLa = 'x';
    raw.narratives.mucLa = ['x'];
    raw.ghiChu = 'x';
    const r = check(raw);
    expect(
      r.errors
        .filter((e) => e.rule === 'schema.unknown')
        .map((e) => e.field)
        .sort(),
    ).toEqual(['ghiChu', 'indicators.khongCo', 'narratives.mucLa', 'tables.bangLa', 'tables.dichVuCongTrucTuyen[0].cotLa'].sort());
  });

  it('rejects a part owned by another division and says who owns it', () => {
    const raw = vpQ1();
    raw.indicators.vbqpplBanHanh = 1;
    raw.tables.thanhTraKiemTra = [];
    raw.narratives.tuChuTaiChinh = ['x'];
    const r = check(raw);
    const owner = r.errors.filter((e) => e.rule === 'schema.owner');
    expect(owner.map((e) => e.field).sort()).toEqual(['indicators.vbqpplBanHanh', 'narratives.tuChuTaiChinh', 'tables.thanhTraKiemTra']);
    const e = owner.find((x) => x.field === 'indicators.vbqpplBanHanh')!;
    expect(e.label).toBe('Số văn bản quy phạm pháp luật được ban hành trong quý');
    expect(e.message).toMatch(
      /do Phòng Quản lý Công nghiệp, Phòng Kỹ thuật và Quản lý Năng lượng, Phòng Quản lý Thương mại nhập; Văn phòng Sở không nhập/,
    );
  });

  it('requires every indicator the division owns', () => {
    const raw = vpQ1();
    delete raw.indicators.hoSoBuuChinh;
    const r = check(raw);
    expect(r.ok).toBe(false);
    const e = r.errors.find((x) => x.rule === 'schema.required')!;
    expect(e.field).toBe('indicators.hoSoBuuChinh');
    expect(e.message).toBe('Chưa nhập “Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích” (đơn vị: hồ sơ); nếu không phát sinh, ghi 0.');
  });

  it('requires non-negative integers', () => {
    for (const bad of [-1, 1.5, '1,5', '12.34', 'mười', '-3', true, {}, Number.NaN]) {
      const raw = vpQ1();
      raw.indicators.hoSoTreHan = bad;
      const r = check(raw);
      const e = r.errors.find((x) => x.field === 'indicators.hoSoTreHan');
      expect(e?.rule, String(bad)).toBe('schema.integer');
      expect(e!.message).toMatch(/“Số hồ sơ giải quyết trễ hạn” (phải là số nguyên không âm|không được là số âm)/);
    }
    for (const good of [0, '0', '1.234', 7]) {
      const raw = vpQ1();
      raw.indicators.hoSoTreHan = good;
      expect(check(raw).errors.filter((x) => x.field === 'indicators.hoSoTreHan')).toEqual([]);
    }
  });

  it('requires the key column of a table row', () => {
    const raw = vpQ1();
    raw.tables.lienThongTthc[0].tthc = ' ';
    const r = check(raw);
    expect(r.errors.map((e) => [e.rule, e.field])).toEqual([['schema.required', 'tables.lienThongTthc[0].tthc']]);
    expect(r.errors[0].message).toContain('“TTHC, dịch vụ công”');
  });
});

describe('validateSubmission: formats', () => {
  const ttra = () => sample('TTRA', '2021-Q2') as unknown as Record<string, any>;

  it('checks date ranges as dd/mm/yyyy-dd/mm/yyyy', () => {
    for (const bad of ['10/5/2021', '31/02/2021-01/03/2021', '19/5/2021-10/5/2021', '2021-05-10-2021-05-19', 'tháng 5']) {
      const raw = ttra();
      raw.tables.thanhTraKiemTra[0].thoiGian = bad;
      const r = check(raw);
      expect(rules(r.errors), bad).toEqual(['format.date']);
      expect(r.errors[0].message).toMatch(/“Thời gian thực hiện”.*dd\/mm\/yyyy-dd\/mm\/yyyy/);
    }
    expect(check(ttra()).errors).toEqual([]);
    expect(isDateRangeVi('10/05/2021 - 19/05/2021')).toBe(true);
  });

  it('checks document references as “số N/XX-YYY ngày dd/mm/yyyy”', () => {
    const raw = vpQ1();
    raw.tables.lienThongTthc[0].soVanBan = 'Kế hoạch 116 tháng 1';
    const r = check(raw);
    expect(rules(r.errors)).toEqual(['format.docRef']);
    expect(r.errors[0].message).toContain('số 116/KH-SCT ngày 07/01/2021');
    raw.tables.lienThongTthc[0].soVanBan = 'số 116/KH-SCT ngày 07/01/2021';
    expect(check(raw).errors).toEqual([]);
    expect(isDocRef('19/2021/QĐ-UBND ngày 19/5/2021; số 5946/TTr-SCT ngày 27/10/2021')).toBe(true);
    expect(isDocRef('số 116/KH-SCT ngày 32/01/2021')).toBe(false);
    expect(isDocRef('số 116/KH-SCT')).toBe(false);
  });
});

describe('validateSubmission: cross-field rules', () => {
  it('rejects online + direct ≠ received and names both fields', () => {
    const raw = vpQ1();
    raw.indicators.hoSoTrucTiep = 60;
    raw.tables.dichVuCongTrucTuyen[0].trucTiep = 60;
    const r = check(raw);
    const e = r.errors.find((x) => x.rule === 'hoSoTrucTuyenCongTrucTiep')!;
    expect(e.message).toBe(
      '“Số hồ sơ thực hiện dịch vụ công trực tuyến mức độ 3 và 4” (3.360) cộng “Số hồ sơ nộp trực tiếp” (60) phải bằng “Tổng số hồ sơ TTHC đã tiếp nhận” (3.412), nhưng tổng đang là 3.420.',
    );
    expect(e.fields).toEqual(['indicators.hoSoTrucTuyen', 'indicators.hoSoTrucTiep', 'indicators.hoSoTiepNhan']);
    // the same check on the table row
    expect(rules(r.errors)).toContain('dichVuCongTrucTuyen.dongTrucTuyenCongTrucTiep');
  });

  it('rejects more electronic documents than documents', () => {
    const raw = vpQ1();
    Object.assign(raw.indicators, { vanBanDienTuNhan: 3600, vanBanDienTuTong: 5611 });
    const r = check(raw);
    expect(rules(r.errors)).toContain('vanBanDienTuToiDa');
    expect(r.errors.find((e) => e.rule === 'vanBanDienTuToiDa')!.message).toMatch(
      /“Tổng số văn bản điện tử” \(5\.611\) không được lớn hơn “Tổng số văn bản \(gửi và nhận\)” \(5\.523\)/,
    );
  });

  it('rejects sent + received ≠ total documents', () => {
    const raw = vpQ1();
    raw.indicators.vanBanGui = 2000;
    const r = check(raw);
    expect(rules(r.errors)).toContain('vanBanGuiCongNhan');
    expect(r.errors.find((e) => e.rule === 'vanBanGuiCongNhan')!.message).toMatch(
      /“Số văn bản gửi” \(2\.000\) cộng “Số văn bản nhận” \(3\.512\) phải bằng “Tổng số văn bản \(gửi và nhận\)”/,
    );
  });

  it('rejects more staff using the software than staff', () => {
    const raw = vpQ1();
    raw.indicators.cbccSuDung = 57;
    raw.tables.vanBanDienTu[0].cbccSuDung = 57;
    const r = check(raw);
    expect(rules(r.errors)).toEqual(expect.arrayContaining(['cbccSuDungToiDa', 'vanBanDienTu.dongCbccSuDungToiDa']));
    expect(r.errors.find((e) => e.rule === 'cbccSuDungToiDa')!.message).toContain('“Tổng số cán bộ, công chức, viên chức” (55)');
  });

  it('rejects more late dossiers than dossiers received', () => {
    const raw = vpQ1();
    raw.indicators.hoSoTreHan = 5000;
    expect(rules(check(raw).errors)).toEqual(['hoSoTreHanToiDa']);
  });

  it('rejects a ratio typed in, as an indicator or in a table', () => {
    const raw = vpQ1();
    raw.indicators.tyLeTrucTuyen = 98.94;
    raw.tables.dichVuCongTrucTuyen[0].tyLeTrucTuyen = '98,94%';
    const r = check(raw);
    expect(r.errors.filter((e) => e.rule === 'ratio.typed').map((e) => e.field)).toEqual([
      'indicators.tyLeTrucTuyen',
      'tables.dichVuCongTrucTuyen[0].tyLeTrucTuyen',
    ]);
    expect(r.errors[0].message).toContain('được tính tự động');
  });

  it('rejects a table whose column total disagrees with its indicator', () => {
    const raw = vpQ1();
    raw.tables.dichVuCongTrucTuyen[0] = { linhVuc: 'Công Thương', tiepNhan: 3400, trucTuyen: 3348, trucTiep: 52 };
    const r = check(raw);
    const e = r.errors.find((x) => x.rule === 'table.indicator')!;
    expect(e.message).toBe(
      'Tổng cột “Tổng số hồ sơ đã tiếp nhận” của bảng “Kết quả triển khai dịch vụ công trực tuyến mức độ 3, 4” (3.400) phải bằng chỉ tiêu “Tổng số hồ sơ TTHC đã tiếp nhận” (3.412).',
    );
  });
});

describe('validateSubmission: cross-period rules', () => {
  const history = ['2021-Q1', '2021-Q2', '2021-Q3'].map((p) => sample('VP', p));
  const vpQ4 = () => sample('VP', '2021-Q4') as unknown as Record<string, any>;
  const scale = (raw: Record<string, any>, k: number) => {
    for (const id of ['hoSoTiepNhan', 'hoSoTrucTuyen', 'hoSoTrucTiep']) raw.indicators[id] *= k;
    delete raw.tables.dichVuCongTrucTuyen;
    return raw;
  };

  it('warns when a value is above 3× the division’s earlier maximum, without blocking', () => {
    const r = check(scale(vpQ4(), 4), { history });
    expect(r.ok).toBe(true);
    const w = r.warnings.find((x) => x.rule === 'outlier.hoSoTiepNhan')!;
    expect(w.severity).toBe('warning');
    expect(w.message).toMatch(/^“Tổng số hồ sơ TTHC đã tiếp nhận” = 18\.284 cao bất thường.*\(4\.105\)/);
    expect(w.confirmation).toBeUndefined();
  });

  it('warns when a value is below 1/3 of the earlier minimum', () => {
    const raw = vpQ4();
    raw.indicators.vanBanNhan = 1000;
    raw.indicators.vanBanTong = 1000 + raw.indicators.vanBanGui;
    raw.indicators.vanBanDienTuNhan = 900;
    raw.indicators.vanBanDienTuTong = 900 + raw.indicators.vanBanDienTuGui;
    delete raw.tables.vanBanDienTu;
    const r = check(raw, { history });
    expect(r.ok).toBe(true);
    expect(r.warnings.find((x) => x.rule === 'outlier.vanBanNhan')!.message).toMatch(/thấp bất thường.*\(3\.512\)/);
  });

  it('is settled by a comment in confirmations[rule]', () => {
    const raw = scale(vpQ4(), 4);
    raw.confirmations = { 'outlier.hoSoTiepNhan': '  Tăng do   tiếp nhận hồ sơ khuyến mại trực tuyến. ' };
    const r = check(raw, { history });
    expect(r.ok).toBe(true);
    const w = r.warnings.find((x) => x.rule === 'outlier.hoSoTiepNhan')!;
    expect(w.confirmation).toBe('Tăng do tiếp nhận hồ sơ khuyến mại trực tuyến.');
    expect(r.submission!.confirmations).toEqual({ 'outlier.hoSoTiepNhan': 'Tăng do tiếp nhận hồ sơ khuyến mại trực tuyến.' });
  });

  it('needs at least two earlier non-zero quarters of the same division', () => {
    expect(check(scale(vpQ4(), 4), { history: history.slice(0, 1) }).warnings).toEqual([]);
    const others = history.map((h) => ({ ...h, division: 'QLTM' }));
    expect(check(scale(vpQ4(), 4), { history: others }).warnings).toEqual([]);
  });

  it('warns when this year’s legal documents issued exceed the plan', () => {
    const qlcn = sample('QLCN', '2021-Q4') as unknown as Record<string, any>;
    qlcn.indicators.vbqpplBanHanh = 1;
    const hist = ['2021-Q1', '2021-Q2', '2021-Q3'].map((p) => sample('QLCN', p));
    const r = check(qlcn, { history: hist });
    expect(r.ok).toBe(true);
    expect(rules(r.warnings)).toEqual(['vbqpplTheoKeHoach']);
    expect(r.warnings[0].message).toMatch(
      /Lũy kế từ đầu năm 2021 .* là 5, vượt “Số văn bản quy phạm pháp luật phải xây dựng theo kế hoạch năm” \(4\)/,
    );
    expect(check(sample('QLCN', '2021-Q4'), { history: hist }).warnings).toEqual([]);
  });
});

describe('validateSubmission never throws', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }), (raw) => {
        const r = check(raw);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary JSON, also shaped like a submission', () => {
    const shaped = fc.record({
      schemaVersion: fc.oneof(fc.constant(1), fc.json()),
      templateId: fc.oneof(fc.constant('cchc'), fc.string()),
      division: fc.constantFrom('VP', 'TTRA', 'QLCN', 'XX', ''),
      period: fc.constantFrom('2021-Q1', '2021-Q4', '2021', 'x'),
      indicators: fc.dictionary(fc.constantFrom('hoSoTiepNhan', 'hoSoTreHan', 'tyLeTrucTuyen', '__proto__', 'constructor'), fc.jsonValue()),
      tables: fc.dictionary(
        fc.constantFrom('dichVuCongTrucTuyen', 'thanhTraKiemTra', 'toString'),
        fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
      ),
      narratives: fc.dictionary(fc.constantFrom('sangKien', 'kiemTraCchc'), fc.jsonValue()),
      confirmations: fc.jsonValue(),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json().map((s) => JSON.parse(s)),
          shaped,
        ),
        (raw) => {
          const history = [raw, sampleSubmissions[0], null] as unknown as Submission[];
          const r = check(raw, { history });
          expect(Array.isArray(r.errors)).toBe(true);
          if (r.ok) expect(r.submission).toBeDefined();
        },
      ),
      { numRuns: 500 },
    );
  });
});

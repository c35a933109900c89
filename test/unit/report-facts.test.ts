import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import { fillOrganizationAndFacts } from '../../shared/domain/placeholders';
import { checkReportFacts, MAX_FACT_CHARS, offerReportFacts } from '../../shared/domain/report-facts';
import type { Submission } from '../../shared/domain/submission';
import { sampleReportFacts } from '../../shared/sample';
import { getTemplate } from '../../shared/templates';

const template = getTemplate('cchc');

describe('report facts', () => {
  it('are declared by the template and checked with Vietnamese messages naming the field', () => {
    expect(template.reportFacts.map((f) => [f.id, f.required])).toEqual([
      ['canCu', true],
      ['ghiChuSoLieuDichVuCong', false],
      ['ghiChuSoLieuVanBan', false],
      ['vanBanThayDoiTthc', false],
      ['keHoachNghiQuyet19', false],
    ]);
    expect(checkReportFacts(template, {}).errors).toEqual([
      'Chưa nhập "Căn cứ báo cáo (kế hoạch CCHC của tỉnh, văn bản hướng dẫn báo cáo)" (canCu).',
    ]);
    expect(checkReportFacts(template, { canCu: '  Thực hiện X  ', laMat: 'y' })).toEqual({
      facts: { canCu: 'Thực hiện X' },
      errors: ['Mẫu báo cáo "cchc" không có thông tin "laMat".'],
    });
    expect(checkReportFacts(template, { canCu: 5 }).errors).toHaveLength(1);
    expect(checkReportFacts(template, sampleReportFacts('2021')).errors).toEqual([]);
  });

  it('refuse a fact longer than a sentence, drop invisible and bidirectional characters, ignore inherited names', () => {
    const long = checkReportFacts(template, { canCu: 'x'.repeat(MAX_FACT_CHARS + 1) });
    expect(long.facts).toEqual({});
    expect(long.errors[0]).toMatch(/^"Căn cứ báo cáo .*" \(canCu\) dài 4\.001 ký tự, vượt quá 4\.000 ký tự\.$/);
    expect(checkReportFacts(template, { canCu: 'Thực hiện\u202e Kế hoạch\u200b 1' }).facts).toEqual({ canCu: 'Thực hiện Kế hoạch 1' });
    const invisibleOnly = checkReportFacts(template, { canCu: '\u200b\u200b' });
    expect(invisibleOnly.errors).toEqual(['Chưa nhập "Căn cứ báo cáo (kế hoạch CCHC của tỉnh, văn bản hướng dẫn báo cáo)" (canCu).']);
    const inherited = checkReportFacts(template, JSON.parse('{"__proto__":{"canCu":"x"},"toString":"y"}'));
    expect(inherited.facts).toEqual({});
    expect(inherited.errors.join(' ')).toContain('Chưa nhập');
  });

  it("offers last period's values, then the template's defaults", () => {
    const offers = offerReportFacts(template, { canCu: 'Thực hiện Kế hoạch số 1/KH-UBND', ghiChuSoLieuVanBan: '  ' });
    expect(offers[0]).toMatchObject({ value: 'Thực hiện Kế hoạch số 1/KH-UBND', source: 'previous' });
    expect(offers[2]).toMatchObject({ value: '', source: 'none' });
    const withDefault = { ...template, reportFacts: [{ ...template.reportFacts[0], default: 'Mặc định' }] };
    expect(offerReportFacts(withDefault, undefined)).toEqual([{ fact: withDefault.reportFacts[0], value: 'Mặc định', source: 'default' }]);
  });

  it('fill {fact:…}; an empty optional fact disappears with its space, a missing required one stays visible', () => {
    const org = () => undefined;
    expect(fillOrganizationAndFacts('công việc {fact:ghiChuSoLieuVanBan}:', org, {}, template).text).toBe('công việc:');
    expect(
      fillOrganizationAndFacts('công việc {fact:ghiChuSoLieuVanBan}:', org, { ghiChuSoLieuVanBan: '(đến 31/10)' }, template).text,
    ).toBe('công việc (đến 31/10):');
    expect(fillOrganizationAndFacts('{fact:canCu}, X', org, {}, template)).toEqual({ text: '[?fact:canCu], X', unknown: ['fact:canCu'] });
  });
});

describe('a figure the text prints and only a table shows', () => {
  const vp = (over: Partial<Submission>) => ({
    submission: {
      schemaVersion: 1,
      templateId: 'cchc',
      division: 'VP',
      period: '2021-Q1',
      indicators: {},
      tables: {},
      narratives: {},
      ...over,
    } as Submission,
    submittedAt: '2021-03-10T02:00:00Z',
  });

  it('is a warning when the table is empty while the text has the figure', () => {
    const report = aggregate(template, organization, parsePeriod('2021-Q1'), [
      vp({ indicators: { vanBanTong: 2400, vanBanDienTuTong: 2318 } }),
    ]);
    expect(report.findings).toContainEqual({
      severity: 'warning',
      rule: 'bangTrongKhiVanBanCoSoLieu:vanBanDienTu.tong',
      message:
        'Bảng "Kết quả sử dụng phần mềm quản lý văn bản - điều hành công việc" không có số liệu nhưng văn bản sử dụng số liệu 2.400 của chỉ tiêu này: kiểm tra lại bảng hoặc chỉ tiêu.',
    });
  });

  it('is a warning when table and text disagree, and nothing when they agree', () => {
    const row = {
      coQuan: 'SCT',
      tong: 2000,
      gui: 800,
      nhan: 1200,
      dienTuTong: 1900,
      dienTuGui: 800,
      dienTuNhan: 1100,
      cbccTong: 5,
      cbccSuDung: 5,
    };
    const differ = aggregate(template, organization, parsePeriod('2021-Q1'), [
      vp({ indicators: { vanBanTong: 2400, vanBanDienTuTong: 1900 }, tables: { vanBanDienTu: [row] } }),
    ]);
    expect(differ.findings?.map((f) => f.rule)).toContain('bangKhacVanBan:vanBanDienTu.tong');
    const agree = aggregate(template, organization, parsePeriod('2021-Q1'), [
      vp({ indicators: { vanBanTong: 2000, vanBanDienTuTong: 1900 }, tables: { vanBanDienTu: [row] } }),
    ]);
    expect(agree.findings?.map((f) => f.rule) ?? []).not.toContain('bangKhacVanBan:vanBanDienTu.tong');
  });
});

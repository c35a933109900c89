import { describe, expect, it } from 'vitest';
import { markupSpans } from '../../shared/docx/styles';
import { orderItems } from '../../shared/domain/aggregate';
import { fillPlaceholders } from '../../shared/domain/placeholders';
import type { AggregatedReport } from '../../shared/domain/report';
import { ReportTemplateSchema } from '../../shared/domain/template';
import { formatComparison, formatPercent } from '../../shared/format/vi';
import cchc from '../../shared/templates/cchc.json' with { type: 'json' };

const template = ReportTemplateSchema.parse(cchc);
const report = (previous?: AggregatedReport['previous']): AggregatedReport => ({
  templateId: 'cchc',
  period: { id: '2021', kind: 'year', label: 'năm 2021', year: 2021, quarters: [], from: '2021-01-01', to: '2021-12-31' } as never,
  indicators: { hoSoTiepNhan: 16075, tthcQuaMang: 116, hoSoTreHan: 3, hoSoBuuChinh: 151 },
  ratios: { tyLeBuuChinh: 0.94, tyLeTthcQuaMang: 100 },
  tables: {},
  narratives: {},
  completeness: [],
  ...(previous ? { previous } : {}),
});

describe('one number style per document (template.numberStyle)', () => {
  it('prints percentages as the seed does and pads counts under 10', () => {
    expect(template.numberStyle).toEqual({ percentSpace: false, trimZeros: true, padCounts: true });
    expect(formatPercent(100, template.numberStyle)).toBe('100%');
    expect(formatPercent(98.95, template.numberStyle)).toBe('98,95%');
    const r = fillPlaceholders('{hoSoTreHan} hồ sơ; {ratio:tyLeBuuChinh}; {ratio:tyLeTthcQuaMang}', report(), template);
    expect(r.text).toBe('03 hồ sơ; 0,94%; 100%');
  });
});

describe('year-on-year comparisons (template.comparisons)', () => {
  it('prints a rise in percent and a fall in a count with the previous year', () => {
    const r = fillPlaceholders(
      '{compare:hoSoTiepNhanNamTruoc}; {compare:tthcQuaMangNamTruoc}',
      report({ year: 2020, indicators: { hoSoTiepNhan: 14289, tthcQuaMang: 118 } }),
      template,
    );
    expect(r.text).toBe('tăng 12,5% so với cùng kỳ năm 2020; giảm 02 thủ tục so với năm 2020');
    expect(r.missingComparisons).toBeUndefined();
  });
  it('says nothing without the previous figure', () => {
    const r = fillPlaceholders('{compare:hoSoTiepNhanNamTruoc}', report(), template);
    expect(r.missingComparisons).toEqual(['compare:hoSoTiepNhanNamTruoc']);
    expect(formatComparison(5, undefined, { kind: 'count', unit: '', against: 'năm' }, 2020)).toBeUndefined();
  });
});

describe('narrative order keys and markup', () => {
  it('puts items in the order the template declares, whatever the division order', () => {
    expect(orderItems(['- Ban hành Quyết định số 12', 'Tham mưu UBND tỉnh', 'Khác'], ['tham mưu', 'ban hành'])).toEqual([
      'Tham mưu UBND tỉnh',
      '- Ban hành Quyết định số 12',
      'Khác',
    ]);
  });
  it('reads *italic*, **bold** and plain web addresses', () => {
    expect(markupSpans('đạt 99,99% (*số liệu tính đến ngày 31/10/2021*) tại <https://sct.dongnai.gov.vn>')).toEqual([
      { text: 'đạt 99,99% (', bold: false, italics: false },
      { text: 'số liệu tính đến ngày 31/10/2021', bold: false, italics: true },
      { text: ') tại https://sct.dongnai.gov.vn', bold: false, italics: false },
    ]);
  });
});

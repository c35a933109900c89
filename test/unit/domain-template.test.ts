import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { parseIntegerVi, percent } from '../../shared/domain/format';
import { parsePeriod } from '../../shared/domain/periods';
import { fillPlaceholders, templateProblems } from '../../shared/domain/placeholders';
import { ReportTemplateSchema, type Section } from '../../shared/domain/template';
import { getTemplate, templateIds } from '../../shared/templates';
import cchcRaw from '../../shared/templates/cchc.json' with { type: 'json' };
import { DEPARTMENTS } from '../support/departments';

const template = getTemplate('cchc');

const outline = (sections: Section[]): unknown[] => sections.map((s) => (s.children.length ? [s.number, outline(s.children)] : s.number));

describe.each(DEPARTMENTS)('the template of $name', ({ template: bound, organization: org }) => {
  it('has no dangling ids, unknown owners, unused narratives or unresolved placeholders', () => {
    expect(
      templateProblems(
        bound,
        org.divisions.map((d) => d.id),
      ),
    ).toEqual([]);
  });
});

describe('the CCHC template', () => {
  it('is listed, parsed and cached', () => {
    expect(templateIds()).toEqual(['cchc', 'kstt']);
    expect(getTemplate('cchc')).toBe(template);
    expect(() => getTemplate('khong-co')).toThrow(/Không có mẫu báo cáo "khong-co"/);
  });

  it('finds problems in a broken template', () => {
    const broken = ReportTemplateSchema.parse({
      ...cchcRaw,
      ratios: [...cchcRaw.ratios, { id: 'x', label: 'x', numerator: 'khongCo', denominator: 'hoSoTiepNhan' }],
      narratives: [...cchcRaw.narratives, { id: 'moCoi', label: 'x', owners: ['ABC'] }],
    });
    expect(
      templateProblems(
        broken,
        organization.divisions.map((d) => d.id),
      ),
    ).toEqual(['moCoi: unknown owner ABC', 'ratio x: unknown indicator khongCo', 'narrative moCoi is placed 0 times']);
  });

  it('follows the seed’s outline I–V', () => {
    expect(outline(template.sections)).toEqual([
      ['I', ['1', '2', ['3', ['a', 'b']], '4']],
      [
        'II',
        [
          '1',
          ['2', [['2.1', ['a', 'b']], ['2.2', ['2.2.1', ['2.2.2', ['a', 'b', 'c']]]], '2.3', '2.4']],
          '3',
          ['4', ['a', 'b']],
          ['5', ['a', 'b', 'c']],
          ['6', ['a', 'b', 'c']],
        ],
      ],
      ['III', ['1', '2', '3']],
      ['IV', ['1', '2', '3', '4', '5', '6']],
      ['V', ['1', '2']],
    ]);
    expect(template.subject).toBe('Kết quả thực hiện công tác cải cách hành chính {period}');
  });

  it('treats staff, procedures and certificates as stocks and dossiers and documents as flows', () => {
    const combine = Object.fromEntries(template.indicators.map((i) => [i.id, i.combine]));
    for (const id of ['cbccTong', 'cbccSuDung', 'tthcTong', 'tthcQuaMang', 'chungThuSo', 'simPki', 'vbqpplKeHoach'])
      expect(combine[id], id).toBe('last');
    for (const id of ['hoSoTiepNhan', 'hoSoTrucTuyen', 'hoSoTrucTiep', 'vanBanTong', 'vanBanDienTuTong', 'tinBai', 'vbqpplBanHanh'])
      expect(combine[id], id).toBe('sum');
  });

  it("lays out the electronic-documents table in 13 portrait columns with the form's column numbers", () => {
    const t = template.tables.find((x) => x.id === 'vanBanDienTu')!;
    // A 2-row table on a landscape page left it 75 % empty; 10 pt fits 13 columns in portrait.
    expect(t.landscape).toBe(false);
    expect(t.columnNumbers).toBe(true);
    expect(t.columns).toHaveLength(13);
  });

  it('fills placeholders with Vietnamese numbers', () => {
    const report = {
      templateId: 'cchc',
      indicators: { vbqpplBanHanh: 5, vbqpplKeHoach: 7, hoSoTiepNhan: 16075 },
      ratios: { tyLeTrucTuyen: 98.95 },
      period: parsePeriod('2021'),
      tables: {},
      narratives: {},
      completeness: [],
    };
    const filled = fillPlaceholders(
      'ban hành {fraction:vbqpplBanHanh/vbqpplKeHoach} văn bản; {hoSoTiepNhan} hồ sơ; {ratio:tyLeTrucTuyen}; {period}, {nextYear}; {khongCo}',
      report,
    );
    expect(filled.text).toBe('ban hành 05/07 văn bản; 16.075 hồ sơ; 98,95\u00a0%; năm 2021, 2022; [?khongCo]');
    expect(filled.unknown).toEqual(['khongCo']);
  });
});

describe('Vietnamese number helpers', () => {
  it('parse Vietnamese-style integers', () => {
    expect(parseIntegerVi('16.075')).toBe(16075);
    expect(parseIntegerVi('16,075')).toBeUndefined();
    expect(parseIntegerVi('1.5')).toBeUndefined();
  });

  it('round percentages half up on exact integers', () => {
    expect(percent(15906, 16075)).toBe(98.95);
    expect(percent(1, 800)).toBe(0.13);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(0, 0)).toBeNull();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { aggregate, type TimedSubmission } from '../../shared/domain/aggregate';
import { organizationText } from '../../shared/domain/ownership';
import { parsePeriod } from '../../shared/domain/periods';
import { fillOrganizationAndFacts, fillPlaceholders } from '../../shared/domain/placeholders';
import type { Submission } from '../../shared/domain/submission';
import type { Section } from '../../shared/domain/template';
import { sampleSubmissions, timedSampleSubmissions } from '../../shared/sample';
import { getTemplate } from '../../shared/templates';
import { seedBullets, seedParagraphs } from '../fixtures/domain/seed';

const template = getTemplate('cchc');
const timed = timedSampleSubmissions();
const annual = aggregate(template, organization, parsePeriod('2021'), timed);
const clone = <T>(x: T): T => structuredClone(x);

describe('aggregate: the 2021 samples reproduce the seed report', () => {
  it('sums the counts of all divisions and quarters', () => {
    expect(annual.indicators).toMatchObject({
      hoSoTiepNhan: 16075,
      hoSoTrucTuyen: 15906,
      hoSoTrucTiep: 169,
      hoSoBuuChinh: 151,
      hoSoTreHan: 3,
      tthcQuaMang: 116,
      tthcTong: 116,
      vbqpplBanHanh: 5,
      vbqpplKeHoach: 7,
      vanBanTong: 24547,
      vanBanGui: 8893,
      vanBanNhan: 15654,
      vanBanDienTuTong: 23141,
      vanBanDienTuGui: 8893,
      vanBanDienTuNhan: 14248,
      cbccTong: 56,
      cbccSuDung: 56,
      chungThuSo: 46,
      simPki: 7,
      chuKySoCap: 53,
      tinBai: 15,
      kyPhatSong: 4,
      tthcDonGianHoa: 13,
    });
  });

  it('recomputes the ratios, rounding half up (98,95 % where the seed typed 98,94 %)', () => {
    expect(annual.ratios.tyLeTrucTuyen).toBe(98.95);
    expect(annual.ratios.tyLeTrucTiep).toBe(1.05);
    expect(annual.ratios.tyLeVanBanDienTu).toBe(94.27);
    expect(annual.ratios.tyLeCbccSuDung).toBe(100);
    expect(annual.ratios.tyLeVbqppl).toBe(71.43);
  });

  it('builds the tables of the seed with recomputed totals', () => {
    const lt = annual.tables.lienThongTthc;
    expect(lt.rows.map((r) => [r.stt, r.theoQuyDinh, r.donViLienThong])).toEqual([
      [1, 'Trung ương', 'Công an tỉnh'],
      [2, 'UBND tỉnh', 'Sở VH-Thể thao và Du lịch'],
      [3, 'UBND tỉnh', 'Văn phòng UBND tỉnh'],
      [4, 'UBND tỉnh', 'Văn phòng UBND tỉnh'],
    ]);
    expect(lt.total).toMatchObject({ tthc: 'Tổng', theoQuyDinh: 4, donViChuDong: 1, donViLienThong: 4 });

    const dvc = annual.tables.dichVuCongTrucTuyen;
    expect(dvc.rows).toEqual([
      { stt: 1, linhVuc: 'Công Thương', tiepNhan: 16075, trucTuyen: 15906, tyLeTrucTuyen: 98.95, trucTiep: 169, tyLeTrucTiep: 1.05 },
    ]);
    expect(dvc.total).toMatchObject({ linhVuc: 'Tổng số', tiepNhan: 16075, tyLeTrucTuyen: 98.95, tyLeTrucTiep: 1.05 });

    expect(annual.tables.vanBanDienTu.rows).toEqual([
      expect.objectContaining({
        stt: 1,
        coQuan: 'SCT',
        tong: 24547,
        gui: 8893,
        nhan: 15654,
        dienTuTong: 23141,
        dienTuGui: 8893,
        dienTuNhan: 14248,
        tyLeDienTu: 94.27,
        cbccTong: 56,
        cbccSuDung: 56,
        tyLeCbcc: 100,
      }),
    ]);
    expect(annual.tables.chuKySo.rows.map((r) => [r.soLuong, r.tyLe])).toEqual([
      [54, 100],
      [53, 100],
    ]);
    expect(annual.tables.thanhTraKiemTra.rows.map((r) => r.thoiGian)).toEqual(['10/5/2021-19/5/2021', '19/5/2021-21/5/2021']);
  });

  it('contains every bullet of the seed exactly once, as a narrative item or as filled template text', () => {
    const items = Object.values(annual.narratives).flat();
    const texts: string[] = [];
    const walk = (s: Section) => {
      for (const b of s.blocks) {
        if (b.type !== 'text') continue;
        const named = fillOrganizationAndFacts(b.text, (k) => organizationText(organization, k), {}, template);
        texts.push(fillPlaceholders(named.text, annual).text);
      }
      s.children.forEach(walk);
    };
    template.sections.forEach(walk);
    // Sentences whose figures now come from indicators, reworded around the placeholder (see shared/sample/README.md).
    const reworded = [
      'Sở Công Thương đã soạn thảo, tham mưu trình HĐND',
      'Trong năm, đã thực hiện đăng tải 15 tin bài',
      'Sở Công Thương đã tham mưu công tác đơn giản hóa TTHC tại Văn bản số 4734',
      'Về sử dụng phần mềm quản lý, điều hành văn bản',
      'Kết quả sử dụng phần mềm quản lý văn bản - điều hành công việc',
      'Kết quả áp dụng chữ ký số',
      'Đảm bảo 100% Ban Lãnh đạo Sở',
      'Hiện nay, Sở Công Thương đã áp dụng tiếp nhận hồ sơ',
      // Plain web address (issue 13: no "<https://…>") and the unfilled postal form line, now filled from its figures.
      '100% thủ tục được công khai, niêm yết',
      'Số thủ tục phát sinh hồ sơ nhận hoặc trả qua dịch vụ bưu chính',
    ];
    const bullets = seedBullets();
    expect(bullets.length).toBe(137);
    const missing = bullets.filter(
      (b) => !reworded.some((r) => b.startsWith(r)) && items.filter((i) => i === b).length + texts.filter((t) => t === b).length !== 1,
    );
    expect(missing).toEqual([]);
    for (const r of reworded) expect(bullets.filter((b) => b.startsWith(r))).toHaveLength(1);
  });

  it('only uses narrative text taken from the seed, apart from the split sentences', () => {
    const seed = seedParagraphs().join('\n');
    const items = Object.values(annual.narratives).flat();
    const foreign = items.filter((i) => !seed.includes(i.replace(/\.$/, '')));
    expect(foreign).toEqual([
      expect.stringMatching(/^Nguyên nhân là do Chuyên viên/),
      expect.stringMatching(/^Trong đó, 01 hồ sơ lĩnh vực điện/),
    ]);
  });

  it('removes repeated narrative items, ignoring spacing', () => {
    const first = annual.narratives.nhiemVuTrongTam;
    expect(first).toHaveLength(8);
    expect(new Set(first).size).toBe(first.length);
    expect(annual.narratives.quyCheLamViec).toHaveLength(2);
    // the template's order keys (the seed's order), not division order: KHTC's item sits among VP's
    expect(first[5]).toMatch(/^Thực hiện chuyên đổi cơ chế tài chính/);
    expect(first[first.length - 1]).toMatch(/^Tăng cường thực hiện tiếp nhận hồ sơ/);
  });

  it('reports completeness per division, with late quarters', () => {
    expect(annual.completeness).toHaveLength(8);
    for (const d of annual.completeness) {
      expect(d.submitted).toEqual(['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4']);
      expect(d.missing).toEqual([]);
    }
    expect(annual.completeness.filter((d) => d.late.length).map((d) => [d.divisionId, d.late])).toEqual([['TTXT', ['2021-Q3']]]);
  });
});

describe('aggregate: periods', () => {
  it('takes only the first quarter’s figures for 2021-Q1', () => {
    const q1 = aggregate(template, organization, parsePeriod('2021-Q1'), timed);
    expect(q1.indicators.hoSoTiepNhan).toBe(3412);
    expect(q1.indicators.hoSoTrucTiep).toBe(52);
    expect(q1.indicators.cbccTong).toBe(55);
    expect(q1.ratios.tyLeTrucTuyen).toBe(98.48);
    expect(q1.tables.lienThongTthc.rows).toHaveLength(2);
    expect(q1.completeness[0]).toMatchObject({ submitted: ['2021-Q1'], missing: [] });
    expect(q1.narratives.phChinhQuyenSo).toEqual([]);
  });

  it('adds the first two quarters for 2021-H1, stocks from Q2', () => {
    const h1 = aggregate(template, organization, parsePeriod('2021-H1'), timed);
    const q1 = aggregate(template, organization, parsePeriod('2021-Q1'), timed);
    const q2 = aggregate(template, organization, parsePeriod('2021-Q2'), timed);
    for (const ind of template.indicators) {
      const expected = ind.combine === 'sum' ? q1.indicators[ind.id] + q2.indicators[ind.id] : q2.indicators[ind.id];
      expect(h1.indicators[ind.id], ind.id).toBe(expected);
    }
    expect(h1.indicators.hoSoTiepNhan).toBe(7517);
    expect(h1.tables.dichVuCongTrucTuyen.rows[0].tiepNhan).toBe(7517);
    expect(h1.tables.vanBanDienTu.rows[0].cbccTong).toBe(56);
  });

  it('ignores quarters outside the period and marks divisions that did not submit', () => {
    const onlyVp = timed.filter((t) => t.submission.division === 'VP' && t.submission.period === '2021-Q2');
    const r = aggregate(template, organization, parsePeriod('2021-H1'), onlyVp);
    expect(r.indicators.hoSoTiepNhan).toBe(4105);
    expect(r.completeness[0]).toMatchObject({ divisionId: 'VP', submitted: ['2021-Q2'], missing: ['2021-Q1'] });
    expect(r.completeness[1]).toMatchObject({ divisionId: 'TTRA', submitted: [], missing: ['2021-Q1', '2021-Q2'] });
    expect(aggregate(template, organization, parsePeriod('2022'), timed).indicators.hoSoTiepNhan).toBe(0);
  });

  it('gives null ratios when nothing was submitted', () => {
    const r = aggregate(template, organization, parsePeriod('2021'), []);
    expect(r.ratios.tyLeTrucTuyen).toBeNull();
    expect(r.tables.dichVuCongTrucTuyen).toEqual({
      id: 'dichVuCongTrucTuyen',
      rows: [],
      total: expect.objectContaining({ tiepNhan: 0, tyLeTrucTuyen: null }),
    });
  });
});

describe('aggregate: resubmissions', () => {
  it('counts only the latest submission of a division for a quarter', () => {
    const vp = timed.find((t) => t.submission.division === 'VP' && t.submission.period === '2021-Q1')!;
    const corrected = clone(vp);
    corrected.submittedAt = '2021-03-25T10:00:00+07:00';
    corrected.submission.indicators.hoSoTiepNhan += 10;
    corrected.submission.indicators.hoSoTrucTuyen += 10;
    const stale = clone(vp);
    stale.submittedAt = '2021-03-01T10:00:00+07:00';
    stale.submission.indicators.hoSoTiepNhan = 1;
    const r = aggregate(template, organization, parsePeriod('2021'), [...timed, corrected, stale]);
    expect(r.indicators.hoSoTiepNhan).toBe(16085);
    expect(r.ratios.tyLeTrucTuyen).toBe(98.95);
    // the first submission was on time: a later correction does not make the quarter late
    expect(r.completeness[0].late).toEqual([]);
  });

  it('marks a quarter late when the first submission came after the deadline', () => {
    const late = timed.map((t) =>
      t.submission.division === 'KHTC' && t.submission.period === '2021-Q4' ? { ...t, submittedAt: '2021-12-21T00:00:01+07:00' } : t,
    );
    const r = aggregate(template, organization, parsePeriod('2021'), late);
    expect(r.completeness.find((d) => d.divisionId === 'KHTC')!.late).toEqual(['2021-Q4']);
    const onTime = timed.map((t) =>
      t.submission.division === 'KHTC' && t.submission.period === '2021-Q4' ? { ...t, submittedAt: '2021-12-20T23:59:00+07:00' } : t,
    );
    expect(aggregate(template, organization, parsePeriod('2021'), onTime).completeness.find((d) => d.divisionId === 'KHTC')!.late).toEqual(
      [],
    );
  });

  it('sums rows of several divisions by division order and rows of one division by key', () => {
    const vpRow = (p: string, n: number) => ({
      submission: {
        ...clone(sampleSubmissions.find((s) => s.division === 'VP' && s.period === p)!),
        tables: {
          dichVuCongTrucTuyen: [
            { linhVuc: 'Điện', tiepNhan: n, trucTuyen: n, trucTiep: 0 },
            { linhVuc: 'công  thương', tiepNhan: 1, trucTuyen: 0, trucTiep: 1 },
          ],
        },
      } as Submission,
      submittedAt: `${p.slice(0, 4)}-0${Number(p.slice(-1)) * 3}-01T00:00:00Z`.replace('-012-', '-12-'),
    });
    const r = aggregate(template, organization, parsePeriod('2021-H1'), [vpRow('2021-Q1', 3), vpRow('2021-Q2', 4)]);
    expect(r.tables.dichVuCongTrucTuyen.rows).toEqual([
      { stt: 1, linhVuc: 'Điện', tiepNhan: 7, trucTuyen: 7, tyLeTrucTuyen: 100, trucTiep: 0, tyLeTrucTiep: 0 },
      { stt: 2, linhVuc: 'công thương', tiepNhan: 2, trucTuyen: 0, tyLeTrucTuyen: 0, trucTiep: 2, tyLeTrucTiep: 100 },
    ]);
    expect(r.tables.dichVuCongTrucTuyen.total).toMatchObject({ tiepNhan: 9, trucTuyen: 7, tyLeTrucTuyen: 77.78 });
  });
});

describe('aggregate: properties', () => {
  it('does not depend on the order of the submissions', () => {
    const extra: TimedSubmission[] = [
      { ...clone(timed[0]), submittedAt: '2021-03-19T12:00:00+07:00' },
      {
        ...clone(timed[0]),
        submittedAt: '2021-03-19T12:00:00+07:00',
        submission: { ...clone(timed[0].submission), narratives: { kiemSoatTthc: ['Bản sửa'] } },
      },
    ];
    const all = [...timed, ...extra];
    const expected = JSON.stringify(aggregate(template, organization, parsePeriod('2021'), all));
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (shuffled) => {
        expect(JSON.stringify(aggregate(template, organization, parsePeriod('2021'), shuffled))).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('recomputes every ratio from the summed counts', () => {
    for (const r of template.ratios) {
      const den = annual.indicators[r.denominator];
      const exact = (annual.indicators[r.numerator] / den) * 100;
      expect(Math.abs(annual.ratios[r.id]! - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });
});

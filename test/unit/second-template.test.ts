import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { organization } from '../../shared/config';
import { renderReport } from '../../shared/docx/render';
import { aggregate } from '../../shared/domain/aggregate';
import { parsePeriod } from '../../shared/domain/periods';
import { templateProblems } from '../../shared/domain/placeholders';
import { validateSubmission } from '../../shared/domain/submission';
import { ReportTemplateSchema } from '../../shared/domain/template';
import raw from '../fixtures/templates/van-thu.json' with { type: 'json' };

// A report type the code has never seen: only data. It must validate, aggregate and render.
const template = ReportTemplateSchema.parse(raw);

const submission = (division: string, period: string, over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  templateId: 'vanThu',
  division,
  period,
  indicators: division === 'VP' ? { vanBanDen: 300, vanBanDi: 120, hoSoNopLuu: 9, hoSoPhaiNop: 10 } : { vanBanDen: 40, vanBanDi: 15 },
  tables: { kiemTraLuuTru: [{ donVi: division === 'VP' ? 'Phòng Quản lý Công nghiệp' : 'Trung tâm Xúc tiến Thương mại', soHoSo: 7 }] },
  narratives: { ketQua: [`Hoàn thành chỉnh lý tài liệu của ${division}.`] },
  ...over,
});

describe('a second report template, added as data only', () => {
  it('is a consistent template', () => {
    expect(
      templateProblems(
        template,
        organization.divisions.map((d) => d.id),
      ),
    ).toEqual([]);
  });

  it('validates submissions with its own rules and labels', () => {
    const ok = validateSubmission(template, submission('VP', '2021-Q1'), {
      organization,
      expectedDivision: 'VP',
      expectedPeriod: '2021-Q1',
    });
    expect(ok.errors).toEqual([]);
    const bad = validateSubmission(
      template,
      submission('VP', '2021-Q1', { indicators: { vanBanDen: 1, vanBanDi: 1, hoSoNopLuu: 12, hoSoPhaiNop: 10 } }),
      { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' },
    );
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => e.message).join(' ')).toContain('Số hồ sơ nộp lưu');
  });

  it('aggregates across divisions and quarters and renders the official document', async () => {
    const subs = ['2021-Q1', '2021-Q2'].flatMap((q) =>
      ['VP', 'TTRA'].map((d) => {
        const r = validateSubmission(template, submission(d, q), { organization, expectedDivision: d, expectedPeriod: q });
        return { submission: r.submission!, submittedAt: `${q.slice(0, 4)}-0${Number(q.slice(-1)) * 3}-10T03:00:00Z` };
      }),
    );
    const report = aggregate(template, organization, parsePeriod('2021-H1'), subs);
    expect(report.indicators.vanBanDen).toBe(680);
    expect(report.ratios.tyLeNopLuu).toBe(90);
    expect(report.tables.kiemTraLuuTru.total).toMatchObject({ soHoSo: 28 });

    const doc = await renderReport({
      template,
      report,
      organization,
      mode: 'final',
      version: 1,
      number: 3,
      issuedAt: new Date('2021-07-05T03:00:00Z'),
    });
    const xml = (await (await JSZip.loadAsync(doc)).file('word/document.xml')!.async('string')).normalize('NFC');
    expect(xml).toContain('Kết quả công tác văn thư, lưu trữ 6 tháng đầu năm 2021');
    expect(xml).toContain('tiếp nhận 680 văn bản đến');
    expect(xml).toContain('18/20 hồ sơ');
    expect(xml).toContain('Số: 03/BC-SCT');
  });
});

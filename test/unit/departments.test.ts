import { readFileSync } from 'node:fs';
/**
 * The path from the divisions' files to the official document, for each sample department and its
 * own report type: validation, aggregation and the rendered .docx (header, subject, number in its
 * own register's code, figures, signature) — and nothing of the other department in it.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { type Organization, parseOrganization } from '../../shared/config/schema';
import { renderReport } from '../../shared/docx/render';
import { aggregate } from '../../shared/domain/aggregate';
import { organizationForReportType } from '../../shared/domain/ownership';
import { parsePeriod } from '../../shared/domain/periods';
import { type Submission, validateSubmission } from '../../shared/domain/submission';
import { formModel } from '../../shared/features/intake/form-model';
import { checkOrganization } from '../../shared/features/organizations/organizations';
import { checkPeriodKind } from '../../shared/features/reports/compile';
import { getTemplate } from '../../shared/templates';
import { DEPARTMENTS } from '../support/departments';

describe.each(DEPARTMENTS)('$name', (dept) => {
  const { template, organization } = dept;

  it('accepts every sample submission with no error and no warning', () => {
    const files = dept.files as Submission[];
    expect(files.length).toBeGreaterThan(0);
    for (const s of files) {
      const history = files.filter((h) => h.division === s.division && h.period < s.period);
      const r = validateSubmission(template, s, { organization, history, expectedDivision: s.division, expectedPeriod: s.period });
      expect({ id: `${s.period}/${s.division}`, errors: r.errors, warnings: r.warnings }).toEqual({
        id: `${s.period}/${s.division}`,
        errors: [],
        warnings: [],
      });
    }
  });

  it('aggregates the period with recomputed ratios and no finding', () => {
    const report = aggregate(template, organization, parsePeriod(dept.periodId), dept.timed());
    expect(report.indicators).toMatchObject(dept.expected.indicators);
    expect(report.ratios).toMatchObject(dept.expected.ratios);
    expect(report.findings).toEqual([]);
    expect(report.completeness.every((c) => c.missing.length === 0)).toBe(true);
  });

  it('renders the official document in its own organization’s name and register', async () => {
    const report = aggregate(template, organization, parsePeriod(dept.periodId), dept.timed());
    const doc = await renderReport({
      template,
      report,
      organization,
      mode: 'final',
      version: 1,
      number: 3,
      issuedAt: new Date('2021-12-20T02:00:00Z'),
      reportFacts: dept.reportFacts,
    });
    const xml = await (await JSZip.loadAsync(doc)).file('word/document.xml')!.async('string');
    const text = xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/\u00a0/g, ' ')
      .normalize('NFC');
    expect(text).toContain(dept.expected.parentBody);
    expect(text).toContain(dept.expected.agency);
    expect(text).toContain(`Số: 03/${dept.expected.documentCode}`);
    expect(text).toContain(`${dept.expected.place}, ngày 20 tháng 12 năm 2021`);
    expect(text).toContain(dept.expected.subject);
    for (const f of dept.expected.figures) expect(text).toContain(f);
    for (const s of dept.expected.signature) expect(text).toContain(s);
    expect(text).toMatch(dept.expected.archive);
    for (const f of dept.expected.foreign) expect(text).not.toContain(f);
    expect(text).not.toMatch(/\[\?(fact|org):/);
  });
});

describe('the kstt report (form 06/VPCP/KSTT)', () => {
  const stp = DEPARTMENTS[1];

  it('refuses a row whose received dossiers do not add up, naming the field, in Vietnamese', () => {
    const file = structuredClone(stp.files.find((f) => (f as Submission).division === 'HCTP')) as Submission;
    file.tables.bieu06[0].tong = 1000;
    const r = validateSubmission(stp.template, file, {
      organization: stp.organization,
      expectedDivision: 'HCTP',
      expectedPeriod: '2021-Q1',
    });
    expect(r.ok).toBe(false);
    const messages = r.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
    expect(messages).toContain('tables.bieu06');
    expect(messages).toContain('Kỳ trước chuyển qua');
  });

  it('refuses the table from a division that does not settle procedures', () => {
    const file = structuredClone(stp.files.find((f) => (f as Submission).division === 'HCTP')) as Submission;
    const r = validateSubmission(
      stp.template,
      { ...file, division: 'VP' },
      { organization: stp.organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' },
    );
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => e.field === 'tables.bieu06')).toBe(true);
  });

  it('carries the dossiers still in process into the next quarter, row by row', () => {
    const q1 = aggregate(stp.template, stp.organization, parsePeriod('2021-Q1'), stp.timed());
    const q2 = aggregate(stp.template, stp.organization, parsePeriod('2021-Q2'), stp.timed());
    const field = (rows: Array<Record<string, unknown>>, name: string) => rows.find((r) => r.linhVuc === name)!;
    for (const row of q1.tables.bieu06.rows) {
      expect(field(q2.tables.bieu06.rows, row.linhVuc as string).kyTruoc).toBe(row.dangGiaiQuyet);
    }
    expect(q2.indicators.hsKyTruoc).toBe(q1.indicators.hsDangGiaiQuyet);
    expect(q2.tables.bieu06.total).toMatchObject({ tong: 1365, daGiaiQuyet: 1237, quaHan: 0, tyLeQuaHan: 0 });
  });

  it('awaits only the divisions that answer it (Thanh tra and the drafting division have no item)', () => {
    const q1 = aggregate(stp.template, stp.organization, parsePeriod('2021-Q1'), stp.timed());
    expect(q1.completeness.map((c) => c.divisionId)).toEqual(['VP', 'HCTP', 'TGPL']);
    const cchc = aggregate(getTemplate('cchc', stp.organization), stp.organization, parsePeriod('2021-Q1'), []);
    expect(cchc.completeness.map((c) => c.divisionId)).toEqual(['VP', 'TTR', 'XDKTVB', 'HCTP', 'TGPL']);
  });

  it('is compiled for quarters only, refused in Vietnamese for other periods', () => {
    expect(() => checkPeriodKind(stp.template, parsePeriod('2021-Q2'))).not.toThrow();
    expect(() => checkPeriodKind(stp.template, parsePeriod('2021'))).toThrow(
      /loại báo cáo "kstt" chỉ lập theo quý, không lập cho năm 2021/,
    );
    expect(() => checkPeriodKind(getTemplate('cchc', stp.organization), parsePeriod('2021'))).not.toThrow();
  });

  it('has its own approval chain where the organization names one for it', () => {
    const chain = [{ role: 'Phó Giám đốc', approvers: [{ email: 'pgd@stp-binhphuoc.example' }], deadlineWorkingDays: 2 }];
    const org = parseOrganization({ ...(stp.document as object), approvalChains: { kstt: chain } });
    expect(organizationForReportType(org, getTemplate('kstt', org)).approvalChain.map((s) => s.role)).toEqual(['Phó Giám đốc']);
    expect(organizationForReportType(org, getTemplate('cchc', org)).approvalChain.map((s) => s.role)).toEqual([
      'Chánh Văn phòng',
      'Giám đốc',
    ]);
  });

  it('lets an organization compiling cchc and kstt map items of either in itemOwners, and names an item of neither', () => {
    const sct = DEPARTMENTS[0].document as Organization;
    const divisions = sct.divisions.map((d) => (d.id === 'QLTM' ? { ...d, roles: [...d.roles, 'giaiQuyetTthc'] } : d));
    expect(checkOrganization({ ...sct, divisions, reportTypes: ['cchc', 'kstt'] }).errors).toEqual([]);
    const wrong = checkOrganization({
      ...sct,
      divisions,
      reportTypes: ['cchc', 'kstt'],
      itemOwners: { ...sct.itemOwners, khongCo: ['VP'] },
    });
    expect(wrong.errors).toContain('[kstt] itemOwners.khongCo: mẫu báo cáo "kstt" không có mục "khongCo".');
  });

  it('asks a settling division for the rows of form 06 only, and tells it to fill the table when it sends none', () => {
    expect(formModel(stp.template, 'HCTP')).toMatchObject({ indicators: [], tables: [{ id: 'bieu06' }] });
    expect(formModel(stp.template, 'VP').indicators.map((i) => i.id)).toEqual([
      'tthcCongBo',
      'tthcThamQuyen',
      'paknTiepNhan',
      'paknDaXuLy',
    ]);
    const r = validateSubmission(
      stp.template,
      {
        schemaVersion: 1,
        templateId: 'kstt',
        division: 'TGPL',
        period: '2021-Q1',
        narratives: { kienNghiDeXuat: ['Đề nghị bổ sung biên chế.'] },
      },
      { organization: stp.organization, expectedDivision: 'TGPL', expectedPeriod: '2021-Q1' },
    );
    expect(r.errors.map((e) => [e.field, e.message])).toEqual([
      [
        'tables.bieu06',
        'Chưa nhập bảng “Tình hình, kết quả giải quyết thủ tục hành chính (Biểu mẫu 06/VPCP/KSTT)”: các số liệu tổng hợp được tính từ các dòng của bảng; ghi đủ các dòng và các cột số (không phát sinh thì ghi 0).',
      ],
    ]);
  });

  it('accepts the kstt example of docs/submission.md', () => {
    const md = readFileSync(new URL('../../docs/submission.md', import.meta.url), 'utf8');
    const block = [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('"templateId": "kstt"'))!;
    const r = validateSubmission(stp.template, JSON.parse(block), {
      organization: stp.organization,
      expectedDivision: 'HCTP',
      expectedPeriod: '2021-Q1',
    });
    expect(r.errors).toEqual([]);
    expect(r.submission?.indicators).toMatchObject({ hsTong: 1067, hsQuaHan: 4 });
  });
});

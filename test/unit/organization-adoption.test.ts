import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { organization as sampleOrganization } from '../../shared/config';
import { parseOrganization } from '../../shared/config/schema';
import { signatureLines } from '../../shared/docx/frame';
import { renderReport, reportFileName } from '../../shared/docx/render';
import { aggregate, type TimedSubmission } from '../../shared/domain/aggregate';
import { bindTemplate, OwnershipError, ownershipProblems } from '../../shared/domain/ownership';
import { parsePeriod } from '../../shared/domain/periods';
import { templateProblems } from '../../shared/domain/placeholders';
import type { Submission } from '../../shared/domain/submission';
import { approverGreeting } from '../../shared/format/vi';
import rawStp from '../../shared/sample/binhphuoc-stp/organization.json' with { type: 'json' };
import { getTemplate, getTemplateDefinition } from '../../shared/templates';

// A second department adopting the CCHC report: a Sở Tư pháp with 5 divisions, signing directly.
const stp = parseOrganization(rawStp);
const template = getTemplate('cchc', stp);

const facts = {
  canCu:
    'Thực hiện Kế hoạch số 120/KH-UBND ngày 15/01/2021 của UBND tỉnh Bình Phước về cải cách hành chính năm 2021; Công văn số 77/SNV-CCHC ngày 02/3/2021 của Sở Nội vụ',
};

const sub = (division: string, period: string, body: Partial<Submission>): TimedSubmission => ({
  submission: { schemaVersion: 1, templateId: 'cchc', division, period, indicators: {}, tables: {}, narratives: {}, ...body } as Submission,
  submittedAt: `${period.slice(0, 4)}-0${Number(period.slice(-1)) * 3}-10T02:00:00Z`,
});

const submissions: TimedSubmission[] = [
  sub('VP', '2021-Q1', {
    indicators: { hoSoTiepNhan: 820, hoSoTrucTuyen: 790, hoSoTrucTiep: 30, hoSoTreHan: 0, tthcTong: 130, tthcQuaMang: 130, tinBai: 6 },
    narratives: {
      chiDaoDieuHanh: ['Sở Tư pháp ban hành Kế hoạch cải cách hành chính năm 2021 ngay từ đầu năm.'],
      danhGiaChung: ['Công tác cải cách hành chính của Sở Tư pháp được triển khai đồng bộ.'],
    },
  }),
  sub('XDKTVB', '2021-Q1', { narratives: { vbqpplDaBanHanh: ['Tham mưu thẩm định 12 dự thảo văn bản quy phạm pháp luật.'] } }),
  sub('TGPL', '2021-Q1', {
    indicators: { tinBai: 2 },
    narratives: { ketQuaTaiChinh: ['Trung tâm Trợ giúp pháp lý thực hiện 210 vụ việc.'] },
  }),
];

async function documentText(doc: Buffer): Promise<string> {
  const xml = await (await JSZip.loadAsync(doc)).file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((m) => [...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''))
    .join('\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .normalize('NFC');
}

describe('a second organization adopts the CCHC template without a developer', () => {
  it("the bundled template carries no organization's text", () => {
    const raw = readFileSync(new URL('../../shared/templates/cchc.json', import.meta.url), 'utf8').replace(
      /"(cauHinhEgov|keHoach177)"/g,
      '"id"',
    );
    for (const s of [
      'Công Thương',
      'công thương',
      'Đồng Nai',
      '15965',
      '1890/',
      'dongnai',
      'Phát thanh Truyền hình',
      'VNPT',
      'Egov',
      '177-KH',
      'SCT',
    ]) {
      expect(raw, s).not.toContain(s);
    }
    // Owners are roles, not the sample's division codes.
    const owners = new Set([...template.indicators, ...template.tables, ...template.narratives].flatMap((i) => i.owners));
    const definition = getTemplateDefinition('cchc');
    const roles = new Set(definition.roles.map((r) => r.id));
    for (const o of [...definition.indicators, ...definition.tables, ...definition.narratives].flatMap((i) => i.owners))
      expect(roles).toContain(o);
    expect([...owners].sort()).toEqual(['HCTP', 'TGPL', 'TTR', 'VP', 'XDKTVB']);
  });

  it('maps every template item to its divisions by role', () => {
    expect(ownershipProblems(getTemplateDefinition('cchc'), stp)).toEqual([]);
    expect(
      templateProblems(
        template,
        stp.divisions.map((d) => d.id),
      ),
    ).toEqual([]);
    expect(template.narratives.find((n) => n.id === 'vbqpplDaBanHanh')!.owners).toEqual(['XDKTVB', 'HCTP']);
    expect(template.indicators.find((i) => i.id === 'tinBai')!.owners).toEqual(['VP', 'TGPL']);
    // Labels take the organization's texts.
    expect(template.indicators.find((i) => i.id === 'kyPhatSong')!.label).toContain('Đài Phát thanh - Truyền hình và Báo Bình Phước');
  });

  it("prints none of the sample department's own text", async () => {
    const report = aggregate(template, stp, parsePeriod('2021'), submissions);
    const warnings: string[] = [];
    const doc = await renderReport({
      template,
      report,
      organization: stp,
      mode: 'final',
      version: 1,
      number: 3,
      issuedAt: new Date('2021-12-18T03:00:00Z'),
      reportFacts: facts,
      onWarning: (w) => warnings.push(w),
    });
    const text = await documentText(doc);
    for (const foreign of [
      'Công Thương',
      'CÔNG THƯƠNG',
      'công thương',
      'Đồng Nai',
      'ĐỒNG NAI',
      '15965',
      '1890',
      'sct.dongnai',
      'dongnai',
      'Phát thanh Truyền hình Đồng Nai',
      '177-KH/TU',
      'VNPT IOFFICE',
      'Egov',
      'BC-SCT',
      'Nguyễn Trí Phương',
      'KT.',
      '[?',
    ]) {
      expect(text, foreign).not.toContain(foreign);
    }
    expect(text).toContain('SỞ TƯ PHÁP');
    expect(text).toContain('Số: 03/BC-STP');
    expect(text).toContain('Bình Phước, ngày 18 tháng 12 năm 2021');
    expect(text).toContain(
      `${facts.canCu}, Sở Tư pháp báo cáo công tác cải cách hành chính, kiểm soát thủ tục hành chính năm 2021 như sau:`,
    );
    expect(text).toContain('tại website của Sở https://stp.binhphuoc.example');
    expect(text).toContain('8 tin bài trên trang thông tin điện tử của Sở');
    expect(text).toContain('Sở Tư pháp gửi Sở Nội vụ tổng hợp báo cáo UBND tỉnh theo quy định./.');
    // Signing directly: the title alone, then the name.
    expect(text).toMatch(/\nGIÁM ĐỐC\n\nTrịnh Quang Minh/);
    // No template problem; only the aggregate's own finding: the online-services table was left
    // empty while the text prints its figures.
    expect(warnings).toEqual(report.findings!.map((f) => f.message));
    expect(report.findings!.map((f) => f.rule)).toEqual(['bangTrongKhiVanBanCoSoLieu:dichVuCongTrucTuyen.tiepNhan']);
  });

  it('leaves out zero sentences, empty tables and headings with nothing under them', async () => {
    const report = aggregate(template, stp, parsePeriod('2021'), submissions);
    const text = await documentText(
      await renderReport({
        template,
        report,
        organization: stp,
        mode: 'final',
        version: 1,
        number: 3,
        issuedAt: new Date(),
        reportFacts: facts,
      }),
    );
    expect(text).not.toMatch(/00\/00 văn bản/);
    expect(text).not.toContain('Chứng thư số và');
    expect(text).not.toContain('Sim PKI');
    // No rows: the table, its lead-in and the heading above them are gone.
    expect(text).not.toContain('Báo cáo tình hình thực hiện liên thông thủ tục hành chính:');
    expect(text).not.toContain('Kết quả sử dụng phần mềm quản lý văn bản - điều hành công việc để xử lý');
    expect(text).not.toContain('Kết quả thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập');
    expect(text).not.toContain('Kết quả triển khai các giải pháp nâng cao hiệu quả');
    // What a template says to print when a figure is zero.
    expect(text).toContain('Trong năm 2021 không có hồ sơ bị trễ hạn so với quy định.');
    // Headings with content stay, and so do their parents.
    expect(text).toContain('I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH VÀ TRIỂN KHAI THỰC HIỆN CẢI CÁCH HÀNH CHÍNH (CCHC)');
    expect(text).toContain('1. Chỉ đạo, điều hành CCHC, kiểm soát TTHC');
    expect(text).toContain('Sở Tư pháp ban hành Kế hoạch cải cách hành chính năm 2021 ngay từ đầu năm.');
  });

  it('names the file by the report type and the organization’s document code', () => {
    expect(
      reportFileName({
        periodId: '2021',
        mode: 'final',
        version: 1,
        number: 3,
        year: 2021,
        templateId: template.slug ?? template.id,
        documentCode: stp.documentCode,
      }),
    ).toBe('bao-cao-cchc-2021-so-03-BC-STP.docx');
  });
});

describe('ownership checked on load', () => {
  it('names every item nobody answers, and unknown items and divisions in the mapping', () => {
    const org = parseOrganization({
      ...rawStp,
      divisions: rawStp.divisions.map((d) => (d.id === 'TTR' ? { ...d, roles: [] } : d)),
      itemOwners: { khongCo: ['VP'], tinBai: ['VP', 'XYZ'] },
    });
    const problems = ownershipProblems(getTemplateDefinition('cchc'), org);
    expect(problems).toContain(
      '"Kết quả thanh tra, kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính" (thanhTraKiemTra) chưa có phòng, đơn vị nào trả lời: giao vai trò Thanh tra cho một phòng, đơn vị (divisions[].roles) hoặc khai báo itemOwners.thanhTraKiemTra.',
    );
    expect(problems.some((p) => p.includes('(kiemTraCchc) chưa có phòng, đơn vị nào trả lời'))).toBe(true);
    expect(problems).toContain('itemOwners.khongCo: mẫu báo cáo "cchc" không có mục "khongCo".');
    expect(problems).toContain('itemOwners.tinBai: không có phòng, đơn vị "XYZ" trong tổ chức.');
    expect(() => bindTemplate(getTemplateDefinition('cchc'), org)).toThrow(OwnershipError);
    expect(() => getTemplate('cchc', org)).toThrow(/chưa khớp mẫu báo cáo/);
  });

  it('names an organization text the template prints but the configuration lacks', () => {
    const org = parseOrganization({ ...rawStp, website: undefined, texts: {} });
    const problems = ownershipProblems(getTemplateDefinition('cchc'), org);
    expect(problems).toContain('Mẫu báo cáo "cchc" cần của tổ chức (website) nhưng cấu hình chưa khai báo.');
    expect(problems).toContain(
      'Mẫu báo cáo "cchc" cần "Đài phát thanh - truyền hình phát chuyên mục cải cách hành chính" của tổ chức (texts.broadcaster) nhưng cấu hình chưa khai báo.',
    );
  });

  it('keeps the sample department mapped exactly as before', () => {
    const t = getTemplate('cchc', sampleOrganization);
    expect(t.narratives.find((n) => n.id === 'sangKien')!.owners).toEqual(['VP', 'QLCN', 'QLTM']);
    expect(t.narratives.find((n) => n.id === 'vbqpplDaBanHanh')!.owners).toEqual(['QLCN', 'KTNL', 'QLTM']);
    expect(t.indicators.find((i) => i.id === 'tinBai')!.owners).toEqual(['VP', 'TTKC', 'TTXT']);
  });
});

describe('signature block variants and approvers', () => {
  const sig = (signature: unknown) => parseOrganization({ ...rawStp, signature }).signature;
  it('prints KT., TL., TM. and signing directly', () => {
    expect(signatureLines(sig({ kind: 'KT', authority: 'Giám đốc', title: 'Phó Giám đốc' }))).toEqual(['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']);
    expect(signatureLines(sig({ kind: 'TL', authority: 'Giám đốc', title: 'Chánh Văn phòng' }))).toEqual([
      'TL. GIÁM ĐỐC',
      'CHÁNH VĂN PHÒNG',
    ]);
    expect(signatureLines(sig({ kind: 'TM', authority: 'Ủy ban nhân dân', title: 'Chủ tịch' }))).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
    ]);
    expect(signatureLines(sig({ kind: 'direct', title: 'Giám đốc' }))).toEqual(['GIÁM ĐỐC']);
    // The earlier form still reads.
    expect(sig({ authority: 'KT. GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC', signer: 'A' })).toMatchObject({ kind: 'KT', authority: 'GIÁM ĐỐC' });
    expect(sampleOrganization.signature).toMatchObject({ kind: 'KT', authority: 'GIÁM ĐỐC', title: 'PHÓ GIÁM ĐỐC' });
  });

  it('refuses an incomplete signature in Vietnamese, naming the field', () => {
    expect(() => sig({ kind: 'direct', title: '' })).toThrow('Chức vụ người ký (signature.title): không được để trống');
    expect(() => sig({ kind: 'KT', title: 'Phó Giám đốc' })).toThrow(/signature\.authority.*GIÁM ĐỐC/);
    expect(() => sig({ kind: 'XY', title: 'Giám đốc' })).toThrow(
      /Hình thức ký \(KT, TL, TM, direct\) \(signature\.kind\): phải là một trong/,
    );
    expect(() => parseOrganization({ ...rawStp, agencyName: '' })).toThrow('Tên cơ quan (agencyName): không được để trống');
    expect(() => parseOrganization({ ...rawStp, mailFrom: 'khong-phai-email' })).toThrow(
      'Địa chỉ gửi email (mailFrom): địa chỉ email không hợp lệ',
    );
  });

  it('greets an approver without a name by role alone, never twice', () => {
    expect(stp.approvalChain[0].approvers[0].name).toBe('');
    expect(approverGreeting('Chánh Văn phòng', '')).toBe('Kính gửi Chánh Văn phòng,');
    expect(approverGreeting('Chánh Văn phòng', 'Chánh Văn phòng')).toBe('Kính gửi Chánh Văn phòng,');
    expect(approverGreeting('Chánh Văn phòng', 'Lương Văn Bình')).toBe('Kính gửi Chánh Văn phòng Lương Văn Bình,');
  });
});

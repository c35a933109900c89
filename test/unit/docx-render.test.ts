import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { headingText, type RenderInput, renderReport, reportFileName } from '../../shared/docx/render';
import type { AggregatedReport } from '../../shared/domain/report';
import { ReportTemplateSchema } from '../../shared/domain/template';
import { cellXml, type DocxParts, paragraphTexts, paragraphXml, readDocx, styleXml } from '../fixtures/docx/docx-reader';
import { fixtureOrganization, fixtureReport, fixtureTemplate, HOSTILE_ITEM } from '../fixtures/docx/report';

const NBSP = '\u00a0';

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    template: fixtureTemplate,
    report: fixtureReport(),
    organization: fixtureOrganization,
    mode: 'final',
    version: 3,
    number: 5,
    issuedAt: new Date('2025-01-05T02:00:00Z'),
    ...overrides,
  };
}

async function render(overrides: Partial<RenderInput> = {}): Promise<DocxParts> {
  return readDocx(await renderReport(input(overrides)));
}

const allText = (d: DocxParts) => [d.document, ...Object.values(d.headers), ...Object.values(d.footers)].flatMap(paragraphTexts).join('\n');

describe('renderReport — final document', () => {
  let doc: DocxParts;
  let texts: string[];
  beforeAll(async () => {
    doc = await render();
    texts = paragraphTexts(doc.document);
  });

  it('uses A4 portrait with margins inside the Decree 30 ranges', () => {
    const first = doc.document.match(/<w:sectPr[\s\S]*?<\/w:sectPr>/)![0];
    expect(first).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    const attr = (name: string) => Number(new RegExp(`<w:pgMar[^>]* w:${name}="(\\d+)"`).exec(first)![1]);
    expect(attr('top')).toBeGreaterThanOrEqual(1134);
    expect(attr('top')).toBeLessThanOrEqual(1417);
    expect(attr('bottom')).toBeGreaterThanOrEqual(1134);
    expect(attr('bottom')).toBeLessThanOrEqual(1417);
    expect(attr('left')).toBeGreaterThanOrEqual(1701);
    expect(attr('left')).toBeLessThanOrEqual(1984);
    expect(attr('right')).toBeGreaterThanOrEqual(850);
    expect(attr('right')).toBeLessThanOrEqual(1134);
  });

  it('numbers pages in the header from page 2, with an empty first-page header', () => {
    const first = doc.document.match(/<w:sectPr[\s\S]*?<\/w:sectPr>/)![0];
    expect(first).toContain('<w:titlePg/>');
    const rels = doc.files['word/_rels/document.xml.rels'];
    const target = (type: string) => {
      const id = new RegExp(`<w:headerReference w:type="${type}" r:id="(\\w+)"`).exec(first)![1];
      return `word/${new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)![1]}`;
    };
    expect(doc.files[target('default')]).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    const firstHeader = doc.files[target('first')];
    expect(firstHeader).not.toMatch(/PAGE/);
    expect(paragraphTexts(firstHeader).join('')).toBe('');
  });

  it('sets Times New Roman on all four font slots of every run and in the defaults', () => {
    const parts = [doc.document, doc.files['word/styles.xml'], ...Object.values(doc.headers), ...Object.values(doc.footers)];
    let count = 0;
    for (const xml of parts) {
      for (const m of xml.matchAll(/<w:rFonts\b[^>]*\/>/g)) {
        count++;
        for (const slot of ['ascii', 'hAnsi', 'eastAsia', 'cs']) expect(m[0]).toContain(`w:${slot}="Times New Roman"`);
        expect(m[0]).not.toMatch(/Theme=/);
      }
      // Every run carries its own fonts, so nothing depends on the theme.
      const runs = [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)];
      for (const r of runs) expect(r[1]).toMatch(/<w:rFonts\b/);
    }
    expect(count).toBeGreaterThan(100);
    expect(doc.files['word/styles.xml']).toMatch(/<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"/);
  });

  it('prints the national header, number and issue date', () => {
    expect(texts).toContain('UBND TỈNH ĐỒNG NAI');
    expect(texts).toContain('SỞ CÔNG THƯƠNG');
    expect(texts).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(texts).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(texts).toContain('Số: 05/BC-SCT');
    expect(texts).toContain('Đồng Nai, ngày 05 tháng 01 năm 2025');
    expect(paragraphXml(doc.document, 'SỞ CÔNG THƯƠNG')).toContain('<w:b/>');
    expect(paragraphXml(doc.document, 'UBND TỈNH ĐỒNG NAI')).not.toContain('<w:b/>');
    expect(paragraphXml(doc.document, 'Đồng Nai, ngày')).toContain('<w:i/>');
  });

  it('has no draft mark', () => {
    expect(allText(doc)).not.toMatch(/DỰ THẢO|Dự thảo/);
  });

  it('prints the title, subject with the period and the addressee', () => {
    const i = texts.indexOf('BÁO CÁO');
    expect(i).toBeGreaterThan(0);
    expect(texts[i + 1]).toBe('Kết quả thực hiện công tác cải cách hành chính năm 2021');
    expect(texts).toContain('Kính gửi: Ủy ban nhân dân tỉnh.');
    expect(paragraphXml(doc.document, 'BÁO CÁO')).toMatch(/<w:jc w:val="center"\/>[\s\S]*<w:b\/>/);
  });

  it('numbers sections by level, level I in capitals, headings bold', () => {
    expect(texts).toContain('I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH VÀ TRIỂN KHAI THỰC HIỆN CẢI CÁCH HÀNH CHÍNH (CCHC)');
    expect(texts).toContain('1. Chỉ đạo, điều hành CCHC, kiểm soát TTHC');
    expect(texts).toContain('2.1. Công tác công khai TTHC và đơn giản hóa TTHC');
    expect(texts).toContain('2.2.1. Công tác giải quyết thủ tục hành chính');
    expect(texts).toContain('a) Về thông tin tuyên truyền kiểm soát TTHC:');
    expect(texts).toContain('IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2022');
    const heading = paragraphXml(doc.document, '2.2.1. Công tác')!;
    expect(heading).toContain('<w:pStyle w:val="BcHeading"/>');
    const style = styleXml(doc, 'BcHeading');
    expect(style).toContain('<w:b/>');
    expect(style).toContain('<w:keepNext/>');
    expect(headingText('V', 'Đề xuất, kiến nghị')).toBe('V. ĐỀ XUẤT, KIẾN NGHỊ');
  });

  it('lays body text out justified, 1.27 cm first-line indent, 6 pt after, 14 pt', () => {
    const p = paragraphXml(doc.document, '- Tăng cường công tác lãnh đạo')!;
    expect(p).toContain('<w:pStyle w:val="BcBody"/>');
    // No direct formatting overrides the style.
    expect(p).not.toMatch(/<w:(jc|ind|spacing|sz) /);
    const style = styleXml(doc, 'BcBody');
    expect(style).toContain('<w:jc w:val="both"/>');
    expect(style).toMatch(/<w:ind [^>]*w:firstLine="720"/);
    expect(style).toMatch(/<w:spacing [^>]*w:after="120"/);
    expect(style).toMatch(/w:line="(2[4-9]\d|3[0-5]\d|360)"/);
    expect(style).toContain('<w:sz w:val="28"/>');
    expect(style).toMatch(/<w:rFonts w:ascii="Times New Roman"/);
  });

  it('writes "-" and "+" items as plain text, not Word lists', () => {
    expect(texts).toContain('+ Kiểm tra việc ứng dụng công nghệ thông tin vào CCHC.');
    expect(texts).toContain('- Những kết quả nổi bật đạt được trong kỳ báo cáo:');
    expect(texts.some((t) => t.startsWith('+ Luôn đảm bảo 100% Ban Lãnh đạo Sở'))).toBe(true);
    expect(doc.document).not.toContain('<w:numPr>');
  });

  it('fills placeholders with Vietnamese numbers', () => {
    expect(texts).toContain(`- Tổng số hồ sơ đã tiếp nhận 16.075 hồ sơ, trong đó 15.906 hồ sơ thực hiện mức độ 3 và 4, đạt 98,95${NBSP}%.`);
    expect(texts).toContain(
      '- Sở Công Thương đã soạn thảo, tham mưu trình HĐND và UBND tỉnh ký ban hành 05/07 văn bản quy phạm pháp luật.',
    );
    expect(allText(doc)).not.toContain('[?');
  });

  it('renders tables with repeated, merged headers, right-aligned numbers and a bold total row', () => {
    expect(doc.document).toContain('<w:tblHeader/>');
    expect(cellXml(doc.document, 'Dịch vụ công mức độ 3 và mức độ 4')).toContain('<w:gridSpan w:val="2"/>');
    expect(cellXml(doc.document, 'Tổng số hồ sơ đã tiếp nhận')).toContain('<w:vMerge w:val="restart"/>');
    const headerRow = doc.document.match(/<w:tr>(?:(?!<\/w:tr>)[\s\S])*Dịch vụ công mức độ 3 và mức độ 4/)![0];
    expect(headerRow).toContain('<w:tblHeader/>');
    const cell = paragraphXml(doc.document, '16.075')!;
    expect(cell).toContain('<w:pStyle w:val="BcCell24R"/>');
    expect(styleXml(doc, 'BcCell24R')).toContain('<w:jc w:val="right"/>');
    expect(styleXml(doc, 'BcCell24R')).toContain('<w:sz w:val="24"/>');
    expect(texts).toContain(`98,95${NBSP}%`);
    expect(texts).toContain(`1,05${NBSP}%`);
    const total = paragraphXml(doc.document, 'Tổng số')!;
    expect(total).toContain('<w:pStyle w:val="BcCell24CB"/>');
    expect(styleXml(doc, 'BcCell24CB')).toContain('<w:b/>');
    expect(paragraphXml(doc.document, '15.906', 1)).toContain('<w:pStyle w:val="BcCell24RB"/>');
    // Single borders, inside lines included.
    expect(doc.document).toMatch(
      /<w:tblBorders><w:top w:val="single"[^>]*\/><w:left w:val="single"[^>]*\/><w:bottom w:val="single"[^>]*\/><w:right w:val="single"[^>]*\/><w:insideH w:val="single"[^>]*\/><w:insideV w:val="single"/,
    );
    // The wide table (more than 10 columns) uses the 10 pt cell styles, so it fits a portrait page.
    expect(paragraphXml(doc.document, '24.547')).toContain('<w:pStyle w:val="BcCell20R"/>');
  });

  it('puts only the landscape table in a landscape section', () => {
    const sects = [...doc.document.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    const landscape = sects.filter((s) => s.includes('w:orient="landscape"'));
    expect(landscape).toHaveLength(1);
    expect(landscape[0]).toContain('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>');
    expect(sects.length).toBe(3);
    // Every later section still carries a page-number header and no first-page exception.
    for (const s of sects.slice(1)) {
      expect(s).toContain('<w:headerReference w:type="default"');
      expect(s).not.toContain('<w:titlePg/>');
    }
    // The table's lead-in sentence sits on the landscape page, just before the table.
    const body = doc.document;
    const sectEnd = body.indexOf(landscape[0]);
    const lead = body.indexOf('Kết quả sử dụng phần mềm quản lý văn bản - điều hành công việc để xử lý');
    const previousSectEnd = body.lastIndexOf('</w:sectPr>', lead);
    expect(previousSectEnd).toBeGreaterThan(0);
    expect(lead).toBeLessThan(sectEnd);
  });

  it('ends with the closing, Nơi nhận and the signature block', () => {
    const closing = texts.findIndex((t) => t.startsWith('Trên đây là Báo cáo kết quả thực hiện công tác CCHC năm 2021'));
    expect(closing).toBeGreaterThan(0);
    const tail = texts.slice(closing);
    expect(tail).toEqual(
      expect.arrayContaining([
        'Nơi nhận:',
        '- Như trên;',
        '- Văn phòng UBND tỉnh (b/c);',
        '- Lưu: VT, VP (Khoa).',
        'KT. GIÁM ĐỐC',
        'PHÓ GIÁM ĐỐC',
        'Nguyễn Trí Phương',
      ]),
    );
    expect(paragraphXml(doc.document, 'Nơi nhận:')).toMatch(/<w:b\/>[\s\S]*<w:i\/>[\s\S]*<w:sz w:val="24"\/>/);
    expect(paragraphXml(doc.document, '- Lưu: VT')).toContain('<w:sz w:val="22"/>');
    expect(paragraphXml(doc.document, 'Nguyễn Trí Phương')).toContain('<w:b/>');
    // Room for the signature: empty lines between the title and the name.
    const title = tail.indexOf('PHÓ GIÁM ĐỐC');
    const name = tail.indexOf('Nguyễn Trí Phương');
    expect(tail.slice(title + 1, name)).toEqual(['']);
    // One blank of exactly 3.5 cm (template.signatureSpaceCm default) for signature and seal.
    expect(doc.document).toMatch(/w:line="1985" w:lineRule="exact"/);
  });

  it('keeps the approval history out of the body and in the custom properties', async () => {
    const d = await render({ approvals: [{ role: 'Chánh Văn phòng', name: 'Lương Văn Bình', decidedAt: '2025-01-04T09:00:00+07:00' }] });
    expect(d.document).not.toContain('Lương Văn Bình');
    expect(d.files['docProps/custom.xml']).toContain('Lương Văn Bình');
  });
});

describe('renderReport — draft', () => {
  it('prints the gap banner under DỰ THẢO in a draft, never in the released document', async () => {
    const note = 'Còn thiếu số liệu — Quý I/2021: Thanh tra Sở.';
    const draft = paragraphTexts(
      (await render({ mode: 'draft', number: undefined, issuedAt: undefined, version: 1, gapNote: note })).document,
    );
    expect(draft[1]).toBe(`Lưu ý: ${note}`);
    expect(allText(await render({ gapNote: note }))).not.toContain('Còn thiếu số liệu');
  });

  it('shows "DỰ THẢO" and the version, without number or date', async () => {
    const d = await render({ mode: 'draft', number: undefined, issuedAt: undefined, version: 4 });
    const texts = paragraphTexts(d.document);
    const everything = allText(d);
    expect(texts[0]).toContain('DỰ THẢO');
    expect(everything).toContain('Dự thảo lần 4');
    expect(paragraphXml(d.document, 'DỰ THẢO')).toMatch(/<w:bdr w:val="single"/);
    expect(texts.find((t) => t.startsWith('Số:'))).toMatch(/^Số:\s+\/BC-SCT$/u);
    expect(texts.find((t) => t.startsWith('Đồng Nai, ngày'))).toMatch(/^Đồng Nai, ngày\s+tháng\s+năm$/u);
    expect(everything).not.toMatch(/Số: \d/);
  });

  it('ignores a number passed to a draft', async () => {
    const d = await render({ mode: 'draft' });
    expect(allText(d)).not.toContain('05/BC-SCT');
    expect(allText(d)).not.toContain('ngày 05 tháng 01');
  });

  it('marks an empty section so reviewers see the gap', async () => {
    const report = fixtureReport();
    report.narratives.phuongHuong = [];
    const d = await render({ mode: 'draft', report });
    const texts = paragraphTexts(d.document);
    const i = texts.indexOf('IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2022');
    expect(texts[i + 1]).toBe('(Chưa có nội dung)');
  });
});

describe('renderReport — hostile text', () => {
  it('keeps <, &, quotes, emoji and NFD text intact and NFC, drops control chars', async () => {
    const report: AggregatedReport = fixtureReport();
    report.narratives.kiemTra = [HOSTILE_ITEM, 'Bảng <b>đậm</b> & ]]> <![CDATA[ x'];
    const buffer = await renderReport(input({ report }));
    const d = await readDocx(buffer);
    const texts = paragraphTexts(d.document);
    const expected = `+ ${HOSTILE_ITEM.normalize('NFC').replace('\u0007', '')}`;
    expect(texts).toContain(expected);
    expect(texts).toContain('+ Bảng <b>đậm</b> & ]]> <![CDATA[ x');
    expect(texts.join('\n')).toBe(texts.join('\n').normalize('NFC'));
    expect(d.document).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(d.document).toContain('🎉');
  });
});

describe('renderReport — hostile text in tables', () => {
  it('escapes table cells written as XML and keeps them NFC', async () => {
    const report = fixtureReport();
    report.tables.lienThong.rows[0].ten = `${HOSTILE_ITEM}\nDòng hai & <ba>`;
    report.tables.lienThong.rows[1].ten = 'baocao-table-0000-0';
    const d = await render({ report });
    const texts = paragraphTexts(d.document);
    expect(texts).toContain(HOSTILE_ITEM.normalize('NFC').replace('\u0007', ''));
    expect(texts).toContain('Dòng hai & <ba>');
    // Text that looks like an internal table marker is printed as is.
    expect(texts).toContain('baocao-table-0000-0');
    expect(d.document.match(/<w:tbl>/g)!.length).toBe(2 + fixtureTemplate.tables.length);
  });
});

describe('renderReport — template problems', () => {
  it('leaves an unknown placeholder visible and warns', async () => {
    const template = structuredClone(fixtureTemplate);
    template.sections[0].children[0].blocks.unshift({ type: 'text', text: 'Có {chiTieuLa} chỉ tiêu lạ.', style: 'body', leadIn: false });
    const warnings: string[] = [];
    const d = await render({ template, onWarning: (w) => warnings.push(w) });
    expect(paragraphTexts(d.document)).toContain('Có [?chiTieuLa] chỉ tiêu lạ.');
    expect(warnings.join('\n')).toContain('chiTieuLa');
  });

  it('refuses a final document without number or issue date', async () => {
    await expect(renderReport(input({ number: undefined }))).rejects.toThrow(/số/);
    await expect(renderReport(input({ issuedAt: undefined }))).rejects.toThrow(/ngày/);
  });

  it('leaves out a table with no data and warns', async () => {
    const report = fixtureReport();
    delete (report.tables as Record<string, unknown>).dichVuCong;
    const warnings: string[] = [];
    const d = await render({ report, onWarning: (w) => warnings.push(w) });
    expect(paragraphTexts(d.document)).not.toContain('Tên thủ tục hành chính, dịch vụ công');
    expect(d.document.match(/<w:tbl>/g)!.length).toBe(2 + fixtureTemplate.tables.length - 1);
    expect(warnings.some((w) => w.includes('Kết quả triển khai dịch vụ công'))).toBe(true);
  });
});

const NAMES = { templateId: 'cchc', documentCode: 'BC-SCT' };

describe('reportFileName', () => {
  it('names drafts by period and version', () => {
    expect(reportFileName({ ...NAMES, periodId: '2021', mode: 'draft', version: 1 })).toBe('bao-cao-cchc-2021-du-thao-v1.docx');
    expect(reportFileName({ ...NAMES, periodId: '2021-Q1', mode: 'draft', version: 12 })).toBe('bao-cao-cchc-2021-q1-du-thao-v12.docx');
  });
  it('names released reports by their number', () => {
    expect(reportFileName({ ...NAMES, periodId: '2021', mode: 'final', version: 3, number: 5, year: 2021 })).toBe(
      'bao-cao-cchc-2021-so-05-BC-SCT.docx',
    );
    expect(reportFileName({ ...NAMES, periodId: '2021-Q4', mode: 'final', version: 1, number: 1, year: 2022 })).toBe(
      'bao-cao-cchc-2021-q4-so-01-BC-SCT-2022.docx',
    );
  });
  it('refuses a final name without a number', () => {
    expect(() => reportFileName({ ...NAMES, periodId: '2021', mode: 'final', version: 1 })).toThrow();
  });
});

// The real CCHC template is written in parallel (shared/templates/cchc.json); once it exists it must render cleanly.
const realTemplatePath = fileURLToPath(new URL('../../shared/templates/cchc.json', import.meta.url));
describe.runIf(existsSync(realTemplatePath))('renderReport — shared/templates/cchc.json', () => {
  it('renders the real template against an empty report without breaking', async () => {
    const { default: raw } = await import('../../shared/templates/cchc.json', { with: { type: 'json' } });
    const template = ReportTemplateSchema.parse(raw);
    const report: AggregatedReport = {
      ...fixtureReport(),
      templateId: template.id,
      indicators: Object.fromEntries(template.indicators.map((i, k) => [i.id, 1000 + k])),
      ratios: Object.fromEntries(template.ratios.map((r) => [r.id, 98.95])),
      tables: Object.fromEntries(template.tables.map((t) => [t.id, { id: t.id, rows: [], total: null }])),
      narratives: Object.fromEntries(template.narratives.map((n) => [n.id, [`Nội dung ${n.label}`]])),
    };
    const warnings: string[] = [];
    const d = await render({ template, report, onWarning: (w) => warnings.push(w) });
    expect(warnings.filter((w) => w.includes('Không tìm thấy số liệu'))).toEqual([]);
    expect(paragraphTexts(d.document)).toContain('Số: 05/BC-SCT');
  });
});

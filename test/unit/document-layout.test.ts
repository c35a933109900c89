/**
 * Sizes the template declares (body 13 or 14 pt, a table's own size) reach the model and every
 * rendition; optional template parts "[[…]]" print only when their comparisons and facts exist.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { resolveOptionalParts } from '../../shared/document/body';
import { buildDocument } from '../../shared/document/build';
import { bodySizeOf, type DocumentModel, type TableBlock } from '../../shared/document/model';
import { renderDocx } from '../../shared/docx/render';
import { templateProblems } from '../../shared/domain/placeholders';
import type { AggregatedReport } from '../../shared/domain/report';
import { type ReportTemplate, ReportTemplateSchema } from '../../shared/domain/template';
import { renderPdf } from '../../shared/pdf/render';
import { sampleReportFacts } from '../../shared/sample';
import { sampleAnnualAggregate, sampleOrganization, sampleSeedPreviousYear, sampleTemplate } from '../support/sample-report';

function build(template: ReportTemplate = sampleTemplate, previous?: AggregatedReport): DocumentModel {
  return buildDocument({
    template,
    report: sampleAnnualAggregate(),
    organization: sampleOrganization,
    mode: 'final',
    version: 1,
    number: 1,
    issuedAt: new Date('2021-12-20T02:00:00Z'),
    reportFacts: sampleReportFacts('2021'),
    ...(previous ? { previous } : {}),
  });
}

/** w:sz (half-points) of a paragraph style in word/styles.xml. */
async function styleSize(docx: Buffer, styleId: string): Promise<number> {
  const xml = await (await JSZip.loadAsync(docx)).file('word/styles.xml')!.async('string');
  const style = xml.match(new RegExp(`<w:style [^>]*w:styleId="${styleId}"[\\s\\S]*?</w:style>`))?.[0] ?? '';
  return Number(style.match(/<w:sz w:val="(\d+)"/)?.[1]);
}

describe('body and table sizes declared by the template', () => {
  it('defaults to 14 pt body; cchc declares 13 pt, as the seed is set', () => {
    const { bodySizePt: _omit, ...rest } = sampleTemplate;
    expect(ReportTemplateSchema.parse(rest).bodySizePt).toBe(14);
    expect(sampleTemplate.bodySizePt).toBe(13);
    expect(() => ReportTemplateSchema.parse({ ...rest, bodySizePt: 12 })).toThrow();
    expect(build().bodySizePt).toBe(13);
    // A model stored before the field existed was drawn at 14 pt.
    expect(bodySizeOf({})).toBe(14);
  });

  it('sets the .docx body and heading styles from the model, the frame staying at 14 pt', async () => {
    const model = build();
    const docx = await renderDocx(model);
    expect(await styleSize(docx, 'BcBody')).toBe(26);
    expect(await styleSize(docx, 'BcHeading')).toBe(26);
    expect(await styleSize(docx, 'BcPlain')).toBe(28);
    const { bodySizePt: _omit, ...older } = model;
    expect(await styleSize(await renderDocx(older), 'BcBody')).toBe(28);
  });

  it("takes a table's declared size over the default by column count, with cell styles for it", async () => {
    const template: ReportTemplate = {
      ...sampleTemplate,
      tables: sampleTemplate.tables.map((t) => (t.id === 'chuKySo' ? { ...t, fontSizePt: 13 } : t)),
    };
    const model = build(template);
    const sizes = Object.fromEntries(
      model.body.flatMap(({ block }) => (block.kind === 'table' ? [[block.id, (block as TableBlock).fontSizePt]] : [])),
    );
    expect(sizes).toMatchObject({ chuKySo: 13, vanBanDienTu: 10, lienThongTthc: 12 });
    const xml = await (await JSZip.loadAsync(await renderDocx(model))).file('word/styles.xml')!.async('string');
    expect(xml).toContain('w:styleId="BcCell26C"');
  });

  it('draws the PDF body at the model size: 13 pt takes fewer pages than 14 pt', async () => {
    const model = build();
    const at13 = await renderPdf(model, { createdAt: new Date('2021-12-20T02:00:00Z') });
    const at14 = await renderPdf({ ...model, bodySizePt: 14 }, { createdAt: new Date('2021-12-20T02:00:00Z') });
    expect(at13.pageCount).toBeLessThan(at14.pageCount);
    expect(at13.pageCount).toBeLessThanOrEqual(21);
  }, 30_000);
});

describe('optional template parts [[…]]', () => {
  const ctx = (previous?: AggregatedReport, facts: Record<string, string> = sampleReportFacts('2021')) => {
    const report = sampleAnnualAggregate();
    return {
      template: sampleTemplate,
      report: previous ? { ...report, previous: { year: 2020, indicators: previous.indicators } } : report,
      facts,
    };
  };
  const text = 'đối với {fraction:tthcQuaMang/tthcTong}[[ ({compare:tthcQuaMangNamTruoc}[[ theo {fact:vanBanThayDoiTthc}]])]] thủ tục';

  it('keeps a part whose comparison has both years and whose fact is filled, innermost first', () => {
    expect(resolveOptionalParts(text, ctx(sampleSeedPreviousYear()))).toBe(
      'đối với {fraction:tthcQuaMang/tthcTong} ({compare:tthcQuaMangNamTruoc} theo {fact:vanBanThayDoiTthc}) thủ tục',
    );
  });

  it('drops only the inner part when the fact is empty, the whole part when the previous year is missing', () => {
    expect(resolveOptionalParts(text, ctx(sampleSeedPreviousYear(), {}))).toBe(
      'đối với {fraction:tthcQuaMang/tthcTong} ({compare:tthcQuaMangNamTruoc}) thủ tục',
    );
    expect(resolveOptionalParts(text, ctx())).toBe('đối với {fraction:tthcQuaMang/tthcTong} thủ tục');
  });

  it('prints the seed sentence with the previous year and the sentence without the bracket otherwise', () => {
    const sentence = (m: DocumentModel) =>
      m.body
        .map(({ block }) => (block.kind === 'paragraph' ? block.runs.map((r) => r.text).join('') : ''))
        .find((t) => t.startsWith('- Hiện nay,'));
    expect(sentence(build(sampleTemplate, sampleSeedPreviousYear()))).toContain(
      'đối với 116/116 (giảm 02 thủ tục so với năm 2020 theo Quyết định số 545/QĐ-UBND ngày 09/02/2021 của UBND tỉnh) thủ tục hành chính (đạt 100%)',
    );
    expect(sentence(build())).toContain('đối với 116/116 thủ tục hành chính (đạt 100%)');
  });

  it('is checked for pairing by templateProblems', () => {
    const broken: ReportTemplate = {
      ...sampleTemplate,
      sections: [{ ...sampleTemplate.sections[0], blocks: [{ type: 'text', text: 'a [[ b', style: 'body', leadIn: false }] }],
    };
    expect(
      templateProblems(
        broken,
        sampleOrganization.divisions.map((d) => d.id),
      ),
    ).toContainEqual(expect.stringContaining('unbalanced optional part'));
  });
});

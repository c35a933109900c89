import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../shared/document/build';
import { documentHtml } from '../../shared/document/html';
import type { DocumentModel } from '../../shared/document/model';
import { sampleReportFacts } from '../../shared/sample';
import { sampleAnnualAggregate, sampleOrganization, sampleTemplate } from '../support/sample-report';

function sample(mode: 'draft' | 'final', gapNote?: string): DocumentModel {
  return buildDocument({
    template: sampleTemplate,
    report: sampleAnnualAggregate(),
    organization: sampleOrganization,
    mode,
    version: 3,
    number: 5,
    issuedAt: new Date('2021-12-20T02:00:00Z'),
    reportFacts: sampleReportFacts('2021'),
    gapNote,
  });
}

/** A minimal hand-made model, to test one thing at a time. */
function tiny(over: Partial<DocumentModel> = {}): DocumentModel {
  return {
    mode: 'final',
    header: { parentBody: 'UBND tỉnh X', agency: 'Sở Y', numberLine: 'Số: 01/BC-SY', dateLine: 'X, ngày 01 tháng 01 năm 2021' },
    title: { kind: 'BÁO CÁO', subject: 'Kết quả' },
    addressee: 'Kính gửi: UBND tỉnh X.',
    body: [],
    signature: { recipients: ['- Như trên;', '- Lưu: VT.'], lines: ['GIÁM ĐỐC'], spaceCm: 3.5, signer: 'Nguyễn Văn A' },
    properties: { title: 't', creator: 'c', description: 'd', custom: [] },
    warnings: [],
    ...over,
  };
}

describe('documentHtml', () => {
  it('escapes every text: no markup typed by a division reaches the page', () => {
    const html = documentHtml(
      tiny({
        title: { kind: 'BÁO CÁO', subject: '<script>alert(1)</script>' },
        body: [
          {
            landscape: false,
            block: { kind: 'paragraph', role: 'body', runs: [{ text: 'a & b <img src=x onerror=y> "q"' }, { text: "it's", italic: true }] },
          },
          {
            landscape: false,
            block: {
              kind: 'table',
              id: 't',
              label: '<b>bảng</b>',
              columnWidths: [100],
              fontSizePt: 12,
              rows: [{ cells: [{ text: '</td><td>x', align: 'left' }] }],
            },
          },
        ],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bảng');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &amp; b &lt;img src=x onerror=y&gt; &quot;q&quot;');
    expect(html).toContain('<em>it&#39;s</em>');
    expect(html).toContain('&lt;/td&gt;&lt;td&gt;x');
  });

  it('renders bold and italic runs as strong and em', () => {
    const html = documentHtml(
      tiny({
        body: [
          {
            landscape: false,
            block: {
              kind: 'paragraph',
              role: 'body',
              runs: [{ text: 'đậm', bold: true }, { text: ' và ' }, { text: 'nghiêng', italic: true }],
            },
          },
        ],
      }),
    );
    expect(html).toContain('<p class="doc-p"><strong>đậm</strong> và <em>nghiêng</em></p>');
  });

  it('gives tables real colspan and rowspan with scoped headers, inside a focusable scrolling region', () => {
    const html = documentHtml(sample('final'));
    expect(html).toMatch(/<th class="doc-c" scope="colgroup" colspan="2">Năm \(Quý\) báo cáo<\/th>/);
    expect(html).toMatch(/<th class="doc-c" scope="col" rowspan="2">/);
    expect(html).toMatch(/<td[^>]* rowspan="\d+">/);
    expect(html).toMatch(/<tr class="doc-total"><th class="doc-c" scope="row" colspan="\d">/);
    const regions = html.match(/<div class="doc-table-wrap" role="region" aria-labelledby="doc-bang-\d+" tabindex="0">/g) ?? [];
    const tables = html.match(/<table /g) ?? [];
    expect(regions.length).toBe(tables.length);
    expect(tables.length).toBeGreaterThanOrEqual(4);
  });

  it('marks a draft with DỰ THẢO and its gap banner; a final has neither', () => {
    const draft = documentHtml(sample('draft', 'Còn thiếu số liệu của Thanh tra Sở.'));
    expect(draft).toContain('<span class="doc-draft-mark">DỰ THẢO</span>');
    expect(draft).toContain('Dự thảo lần 3');
    expect(draft).toContain('<p class="doc-gap" role="note">Lưu ý: Còn thiếu số liệu của Thanh tra Sở.</p>');
    const final = documentHtml(sample('final'));
    expect(final).not.toContain('DỰ THẢO');
    expect(final).not.toContain('doc-gap');
    expect(final).toContain('Số: 05/');
  });

  it('shows the frame: two-column header, title, addressee, Nơi nhận and the signature', () => {
    const m = sample('final');
    const html = documentHtml(m, { headingLevel: 2 });
    expect(html).toContain('<div class="doc-header-left">');
    expect(html).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(html).toContain(`<h2 class="doc-title">`);
    expect(html).toContain('<h3 class="doc-h">');
    expect(html).toContain('Nơi nhận:');
    for (const line of m.signature.lines) expect(html).toContain(line);
    expect(html.match(/<article/g)?.length).toBe(1);
    expect(html.endsWith('</article>')).toBe(true);
  });
});

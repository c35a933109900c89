import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../shared/document/build';
import type { DocumentModel, TableBlock } from '../../shared/document/model';
import { sampleReportFacts } from '../../shared/sample';
import { sampleAnnualAggregate, sampleOrganization, sampleTemplate } from '../support/sample-report';

function build(mode: 'draft' | 'final', extra: { gapNote?: string; onWarning?: (m: string) => void } = {}): DocumentModel {
  return buildDocument({
    template: sampleTemplate,
    report: sampleAnnualAggregate(),
    organization: sampleOrganization,
    mode,
    version: 2,
    number: 7,
    issuedAt: new Date('2021-12-20T02:00:00Z'),
    reportFacts: sampleReportFacts('2021'),
    ...extra,
  });
}

const tables = (m: DocumentModel) => m.body.map((p) => p.block).filter((b): b is TableBlock => b.kind === 'table');
const table = (m: DocumentModel, id: string) => {
  const t = tables(m).find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
};
/** Grid columns a row occupies, counting cells spanning down from rows above. */
function gridWidths(t: TableBlock): number[] {
  const pending = new Array(t.columnWidths.length).fill(0);
  return t.rows.map((row) => {
    const covered = pending.map((n) => n > 0);
    for (let i = 0; i < pending.length; i++) if (pending[i] > 0) pending[i]--;
    let used = covered.filter(Boolean).length;
    let at = 0;
    for (const c of row.cells) {
      while (covered[at] && at < covered.length) at++;
      const span = c.colSpan ?? 1;
      if ((c.rowSpan ?? 1) > 1) for (let k = 0; k < span; k++) pending[at + k] = (c.rowSpan ?? 1) - 1;
      used += span;
      at += span;
    }
    return used;
  });
}

describe('buildDocument', () => {
  it('is plain JSON: a round trip gives the same model', () => {
    const m = build('final');
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('fills the frame: number and date line, title, addressee, signature and properties', () => {
    const m = build('final');
    expect(m.mode).toBe('final');
    expect(m.draft).toBeUndefined();
    expect(m.header.numberLine).toMatch(/^Số: 07\//);
    expect(m.header.dateLine).toContain('ngày 20 tháng 12 năm 2021');
    expect(m.title.kind).toBe('BÁO CÁO');
    expect(m.addressee).toMatch(/^Kính gửi: .+\.$/);
    expect(m.signature.recipients.at(-1)).toMatch(/^- Lưu: .*\.$/);
    expect(m.signature.lines.length).toBeGreaterThan(0);
    expect(m.signature.spaceCm).toBe(sampleTemplate.signatureSpaceCm);
    expect(m.properties.custom).toContainEqual({ name: 'baocao.mode', value: 'final' });
  });

  it('marks a draft with its version and gap note, and leaves the number blank', () => {
    const m = build('draft', { gapNote: 'Chưa có số liệu của Phòng A.' });
    expect(m.draft).toEqual({ version: 2, gapNote: 'Chưa có số liệu của Phòng A.' });
    expect(m.header.numberLine).not.toContain('07');
    expect(m.properties.description).toBe('Dự thảo lần 2');
  });

  it('collects warnings in the model and through onWarning alike', () => {
    const seen: string[] = [];
    const template = { ...sampleTemplate, closing: `${sampleTemplate.closing ?? ''} {khongCo}` };
    const m = buildDocument({
      template,
      report: sampleAnnualAggregate(),
      organization: sampleOrganization,
      mode: 'draft',
      version: 1,
      onWarning: (w) => seen.push(w),
    });
    expect(m.warnings.length).toBeGreaterThan(0);
    expect(m.warnings).toEqual(seen);
    expect(m.warnings.some((w) => w.includes('{khongCo}'))).toBe(true);
  });

  it('resolves markup into runs: no asterisks left, italics carried', () => {
    const m = build('final');
    const runs = m.body.flatMap((p) => (p.block.kind === 'paragraph' ? p.block.runs : []));
    expect(runs.some((r) => r.italic)).toBe(true);
    expect(runs.every((r) => !/\*\*|<https?:/.test(r.text))).toBe(true);
    const headings = m.body.filter((p) => p.block.kind === 'paragraph' && p.block.role === 'heading');
    expect(headings.every((h) => h.block.kind === 'paragraph' && h.block.keepWithNext)).toBe(true);
  });

  it('builds tables with group headers, row spans, column numbers and a total, every row filling the grid', () => {
    const m = build('final');
    for (const t of tables(m)) {
      const width = t.columnWidths.length;
      expect(gridWidths(t).every((w) => w === width)).toBe(true);
    }
    const grouped = table(m, 'chuKySo');
    expect(grouped.rows[0].cells.some((c) => c.colSpan === 2 && c.text === 'Năm (Quý) báo cáo')).toBe(true);
    expect(grouped.rows[0].cells.some((c) => c.rowSpan === 2)).toBe(true);
    expect(grouped.rows.slice(0, 2).every((r) => r.header)).toBe(true);

    const numbered = table(m, 'vanBanDienTu');
    const numbers = numbered.rows.find((r) => r.header && r.cells[0].text === '1');
    expect(numbers?.cells.map((c) => c.text)).toEqual(numbered.columnWidths.map((_, i) => String(i + 1)));

    const spanned = table(m, 'thanhTraKiemTra');
    expect(spanned.rows.some((r) => r.cells.some((c) => (c.rowSpan ?? 1) > 1))).toBe(true);

    const totals = tables(m).flatMap((t) => t.rows.filter((r) => r.total));
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.every((r) => r.cells[0].bold)).toBe(true);
  });

  it('drops empty sections in a final and keeps them marked in a draft', () => {
    const report = sampleAnnualAggregate();
    const empty = { ...report, narratives: {}, tables: {} };
    const input = { template: sampleTemplate, report: empty, organization: sampleOrganization, version: 1 } as const;
    const draft = buildDocument({ ...input, mode: 'draft' });
    const final = buildDocument({ ...input, mode: 'final', number: 1, issuedAt: new Date('2021-12-20T02:00:00Z') });
    const role = (m: DocumentModel, r: string) => m.body.filter((p) => p.block.kind === 'paragraph' && p.block.role === r).length;
    expect(role(draft, 'empty-section')).toBeGreaterThan(0);
    expect(role(final, 'empty-section')).toBe(0);
    expect(role(draft, 'heading')).toBeGreaterThan(role(final, 'heading'));
  });
  it('joins a text that continues a division item into that item, and prints it alone when there is no item', () => {
    const texts = (m: DocumentModel) =>
      m.body.flatMap((p) => (p.block.kind === 'paragraph' ? [p.block.runs.map((r) => r.text).join('')] : []));
    const joined = texts(build('final')).filter((t) => t.includes('Tích hợp ký điện tử'));
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatch(/^- Về sử dụng phần mềm quản lý, điều hành văn bản:.*tỉnh\); Tích hợp ký điện tử/);
    const report = sampleAnnualAggregate();
    const alone = buildDocument({
      template: sampleTemplate,
      report: { ...report, narratives: { ...report.narratives, ungDungCntt: [] } },
      organization: sampleOrganization,
      mode: 'draft',
      version: 1,
    });
    expect(texts(alone).filter((t) => t.startsWith('- Tích hợp ký điện tử'))).toHaveLength(1);
  });
});

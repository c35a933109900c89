/**
 * A wide table printed as an appendix (template table.annex): the second department's form
 * 06/VPCP/KSTT table leaves the body for "Phụ lục I" after the signature, so its landscape page no
 * longer leaves the text page before it near empty. The body keeps a reference sentence instead
 * of the table and its lead-in; the .docx, HTML and PDF draw the appendix from the same model.
 */
import { describe, expect, it } from 'vitest';
import { romanNumeral } from '../../shared/document/body';
import { buildDocument } from '../../shared/document/build';
import { documentHtml } from '../../shared/document/html';
import type { DocumentModel } from '../../shared/document/model';
import { DEPARTMENTS, departmentReportInput } from '../support/departments';

const stp = DEPARTMENTS[1];
const text = (m: DocumentModel) =>
  m.body.flatMap(({ block }) => (block.kind === 'paragraph' ? [block.runs.map((r) => r.text).join('')] : []));

function build(mode: 'draft' | 'final'): DocumentModel {
  return buildDocument(departmentReportInput(stp, { mode, version: 3 }));
}

describe('a table printed as an appendix', () => {
  it('leaves the body for Phụ lục I, with its title in capitals and the note naming the report', () => {
    const m = build('final');
    expect(m.body.some(({ block }) => block.kind === 'table' && block.id === 'bieu06')).toBe(false);
    expect(m.annexes).toHaveLength(1);
    const [a] = m.annexes ?? [];
    expect(a.label).toBe('Phụ lục I');
    expect(a.title).toBe('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ I NĂM 2021');
    expect(a.note).toBe('(Kèm theo Báo cáo số 05/BC-STP ngày 05/01/2025 của Sở Tư pháp)');
    expect(a.landscape).toBe(true);
    expect(a.blocks).toHaveLength(1);
    const table = a.blocks[0];
    expect(table.kind === 'table' && table.id).toBe('bieu06');
    // The totals row carries the figures the body states.
    expect(JSON.stringify(table)).toContain('1.256');
  });

  it('puts the reference sentence where the table stood, and drops the lead-in that introduced it', () => {
    const lines = text(build('final'));
    expect(lines).toContain('Chi tiết theo từng lĩnh vực tại Phụ lục I kèm theo Báo cáo này.');
    expect(lines).not.toContain('Chi tiết theo từng lĩnh vực:');
    // Nothing of the body is on a landscape page any more.
    expect(build('final').body.every((p) => !p.landscape)).toBe(true);
  });

  it('leaves number and date blank in a draft, for the clerk', () => {
    const [a] = build('draft').annexes ?? [];
    expect(a.note).toMatch(/^\(Kèm theo Báo cáo số \u00a0+\/BC-STP ngày \u00a0+\/\u00a0+\/\u00a0+ của Sở Tư pháp\)$/);
  });

  it('shows the appendix after the signature block in the HTML view', () => {
    const html = documentHtml(build('final'));
    const sign = html.indexOf('class="doc-sign"');
    const annex = html.indexOf('class="doc-annex"');
    expect(sign).toBeGreaterThan(0);
    expect(annex).toBeGreaterThan(sign);
    expect(html.slice(annex)).toContain('Phụ lục I');
    expect(html.slice(annex)).toContain('<table');
  });

  it('keeps the first department’s tables in its body (no appendix unless the template asks)', () => {
    const cchc = DEPARTMENTS[0];
    const m = buildDocument(departmentReportInput(cchc, { number: 1, issuedAt: new Date('2021-12-20T02:00:00Z') }));
    expect(m.annexes).toBeUndefined();
    expect(m.body.some(({ block }) => block.kind === 'table')).toBe(true);
  });

  it('numbers appendices in Roman numerals', () => {
    expect([1, 2, 3, 4, 5, 9, 10, 14].map(romanNumeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'IX', 'X', 'XIV']);
  });
});

/**
 * Renders an aggregated report as the official Vietnamese document (.docx) laid out per
 * Decree 30/2020/NĐ-CP, Appendix I: A4, Times New Roman, national header, numbered sections,
 * tables, "Nơi nhận" and signature block. Pure: no I/O besides building the buffer.
 * Frame: frame.ts; body and tables: body.ts; styles and builders: styles.ts.
 */

import { randomBytes } from 'node:crypto';
import { Document, Packer, type Paragraph, type Table } from 'docx';
import type { Organization } from '../config/schema';
import { organizationText } from '../domain/ownership';
import { fillOrganizationAndFacts, fillPlaceholders } from '../domain/placeholders';
import type { AggregatedReport } from '../domain/report';
import type { ReportTemplate } from '../domain/template';
import { cleanText, formatDateLine, formatDocumentNumber, padTwo } from '../format/vi';
import { type BodyContext, type PendingTable, renderSection, spliceTables, textParagraphs } from './body';
import { draftMark, gapBanner, nationalHeader, pageSection, signatureBlock } from './frame';
import { BODY_SIZE, centred, FONT, PORTRAIT_WIDTH, PT, para, paragraphStyles, rule } from './styles';

export { headingText } from './body';
export { type ReportFileNameInput, reportFileName } from './file-name';

export interface ApprovalRecord {
  role: string;
  name: string;
  decidedAt: string;
}

export interface RenderInput {
  template: ReportTemplate;
  report: AggregatedReport;
  organization: Organization;
  mode: 'draft' | 'final';
  version: number;
  /** Document number, assigned at release; required in final mode. */
  number?: number;
  /** Issue date, required in final mode. */
  issuedAt?: Date;
  /** The report facts the compiler filled at compile start ({fact:id} in the template). */
  reportFacts?: Record<string, string>;
  /** Kept in the file's custom properties only: the official body stays clean. */
  approvals?: ApprovalRecord[];
  /** The same period of the previous year, for {compare:…} sentences (else report.previous). */
  previous?: AggregatedReport;
  /** Draft only (issue 12): what was missing when the compiler chose to compile anyway, printed as a banner under DỰ THẢO. */
  gapNote?: string;
  /** Called for each problem worth a compiler's attention (unknown placeholder, missing table). */
  onWarning?: (message: string) => void;
}

interface Segment {
  landscape: boolean;
  children: Array<Paragraph | Table>;
}

/** Consecutive items of the same orientation share a section. */
class Flow {
  readonly segments: Segment[] = [{ landscape: false, children: [] }];
  add(item: Paragraph | Table, landscape = false) {
    let last = this.segments[this.segments.length - 1];
    if (last.landscape !== landscape) {
      last = { landscape, children: [] };
      this.segments.push(last);
    }
    last.children.push(item);
  }
  addAll(items: Array<Paragraph | Table>, landscape = false) {
    for (const i of items) this.add(i, landscape);
  }
}

export async function renderReport(input: RenderInput): Promise<Buffer> {
  const { template, organization: org, mode } = input;
  const report: AggregatedReport = input.previous
    ? { ...input.report, previous: { year: input.previous.period.year, indicators: input.previous.indicators } }
    : input.report;
  const warn = (m: string) => input.onWarning?.(m);
  if (mode === 'final' && (input.number === undefined || !input.issuedAt)) {
    throw new Error('Văn bản ban hành phải có số và ngày ban hành.');
  }
  if (!Number.isInteger(input.version) || input.version < 1) throw new Error('Số phiên bản dự thảo không hợp lệ.');

  // Contradictions found by aggregation reach whoever renders the draft, beside template problems.
  for (const f of report.findings ?? []) warn(f.message);
  const facts = input.reportFacts ?? {};
  const fill = (text: string, where: string) => {
    const named = fillOrganizationAndFacts(text, (k) => organizationText(org, k), facts, template);
    for (const u of named.unknown) warn(`Chưa có nội dung cho "{${u}}" (${where}).`);
    const r = fillPlaceholders(named.text, report, template);
    for (const u of r.unknown) warn(`Không tìm thấy số liệu cho "{${u}}" (${where}).`);
    return r.text;
  };

  const flow = new Flow();
  const pending: PendingTable[] = [];
  const nonce = randomBytes(6).toString('hex');
  const draft = mode === 'draft';
  if (draft) flow.add(draftMark(input.version));
  // Issue 12 (UI helper): the gap banner exists in drafts only, never in the released document.
  if (draft && input.gapNote) flow.add(gapBanner(input.gapNote));

  flow.add(
    nationalHeader(
      org,
      formatDocumentNumber(draft ? null : input.number, org.documentCode),
      formatDateLine(org.place, draft ? null : input.issuedAt),
    ),
  );
  flow.add(centred('BÁO CÁO', { bold: true, before: 360, keepNext: true }));
  const subject = fill(template.subject, 'trích yếu');
  flow.add(centred(subject, { bold: true, keepNext: true }));
  flow.add(rule(1701, PORTRAIT_WIDTH, 80));
  flow.add(centred(`Kính gửi: ${org.addressee.replace(/\.\s*$/, '')}.`, { before: 240, after: 240 }));

  for (const p of template.preamble ?? []) flow.addAll(textParagraphs(fill(p, 'mở đầu'), 'body'));

  const ctx: BodyContext = { template, report, draft, fill, warn, nonce, pending };
  for (const s of template.sections) for (const item of renderSection(s, s.number, ctx)) flow.add(item.node, item.landscape);

  // The closing sentence never leaves the signature alone on the last page.
  if (template.closing) flow.addAll(textParagraphs(fill(template.closing, 'kết thúc'), 'body', 'all'));
  flow.add(para([], { size: PT(6), keepNext: true }));
  flow.add(signatureBlock(org, template.signatureSpaceCm));

  const doc = new Document({
    creator: cleanText(org.agencyName),
    title: cleanText(`Báo cáo ${subject}`),
    description: draft ? `Dự thảo lần ${input.version}` : formatDocumentNumber(input.number, org.documentCode),
    customProperties: [
      { name: 'baocao.period', value: report.period.id },
      { name: 'baocao.mode', value: mode },
      { name: 'baocao.version', value: String(input.version) },
      ...(draft || input.number === undefined ? [] : [{ name: 'baocao.number', value: `${padTwo(input.number)}/${org.documentCode}` }]),
      ...(input.approvals ?? []).map((a, i) => ({
        name: `baocao.approval.${i + 1}`,
        value: cleanText(`${a.role}: ${a.name} (${a.decidedAt})`),
      })),
    ],
    styles: {
      default: {
        document: {
          run: { font: FONT, size: BODY_SIZE },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
      paragraphStyles: paragraphStyles(),
    },
    sections: flow.segments.map((seg, index) => pageSection(seg, index, draft ? input.version : null)),
  });
  return spliceTables(await Packer.toBuffer(doc), pending);
}

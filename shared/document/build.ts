/**
 * The builder: template + aggregated report + organization → DocumentModel. Every reading
 * decision is taken here (see model.ts), so the .docx, HTML and PDF renditions cannot disagree.
 * Pure: no I/O, no file format.
 */
import type { Organization, Signature } from '../config/schema';
import { organizationText } from '../domain/ownership';
import { fillOrganizationAndFacts, fillPlaceholders } from '../domain/placeholders';
import type { AggregatedReport } from '../domain/report';
import { annexNoteLine, cleanText, formatDateLine, formatDocumentNumber, padTwo } from '../format/vi';
import { type BodyContext, buildSection, textParagraphs } from './body';
import type { RenderInput } from './input';
import type { Annex, DocumentModel, Placed, SignatureBlock } from './model';

export { headingText } from './body';
export type { ApprovalRecord, RenderInput } from './input';

/**
 * The capitalised lines above the signature: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], ["TL. GIÁM ĐỐC",
 * "CHÁNH VĂN PHÒNG"], ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], or ["GIÁM ĐỐC"] when signing directly.
 */
export function signatureLines(sig: Signature): string[] {
  const upper = (s: string) => s.trim().toLocaleUpperCase('vi-VN');
  if (sig.kind === 'direct') return [upper(sig.title)];
  return [`${sig.kind}. ${upper(sig.authority ?? '')}`, upper(sig.title)];
}

/** "Nơi nhận" lines and the signature; spaceCm is the blank for signature and seal (template.signatureSpaceCm). */
export function signatureOf(org: Organization, spaceCm = 3.5): SignatureBlock {
  const recipients = org.recipients.map((r) => cleanText(`- ${r.label.replace(/[;.]\s*$/, '')};`));
  recipients.push(cleanText(`- ${org.archive.replace(/[;.]\s*$/, '')}.`));
  const signer = org.signature.signer?.trim();
  return { recipients, lines: signatureLines(org.signature).map(cleanText), spaceCm, ...(signer ? { signer: cleanText(signer) } : {}) };
}

export function buildDocument(input: RenderInput): DocumentModel {
  const { template, organization: org, mode } = input;
  const report: AggregatedReport = input.previous
    ? { ...input.report, previous: { year: input.previous.period.year, indicators: input.previous.indicators } }
    : input.report;
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    input.onWarning?.(m);
  };
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
  const draft = mode === 'draft';
  const numberLine = formatDocumentNumber(draft ? null : input.number, org.documentCode);
  const dateLine = formatDateLine(org.place, draft ? null : input.issuedAt);
  const subject = cleanText(fill(template.subject, 'trích yếu'));

  const body: Placed[] = [];
  const portrait = (blocks: ReturnType<typeof textParagraphs>) => {
    for (const block of blocks) body.push({ block, landscape: false });
  };
  for (const p of template.preamble ?? []) portrait(textParagraphs(fill(p, 'mở đầu'), 'body'));
  const ctx: BodyContext = { template, report, draft, fill, warn, facts, annexes: [] };
  for (const s of template.sections) body.push(...buildSection(s, s.number, ctx));
  // The closing sentence never leaves the signature alone on the last page.
  if (template.closing) portrait(textParagraphs(fill(template.closing, 'kết thúc'), 'body', 'all'));
  const note = cleanText(
    annexNoteLine({
      kind: 'Báo cáo',
      number: draft ? null : input.number,
      code: org.documentCode,
      issuedAt: draft ? null : input.issuedAt,
      agencyName: org.agencyName,
    }),
  );
  const annexes: Annex[] = ctx.annexes.map((a) => ({
    label: a.label,
    title: a.title,
    note,
    landscape: a.landscape,
    blocks: [a.table],
  }));

  return {
    mode,
    bodySizePt: template.bodySizePt,
    ...(draft ? { draft: { version: input.version, ...(input.gapNote ? { gapNote: cleanText(input.gapNote) } : {}) } } : {}),
    header: { parentBody: cleanText(org.parentBody), agency: cleanText(org.agency), numberLine, dateLine },
    title: { kind: 'BÁO CÁO', subject },
    addressee: cleanText(`Kính gửi: ${org.addressee.replace(/\.\s*$/, '')}.`),
    body,
    signature: signatureOf(org, template.signatureSpaceCm),
    ...(annexes.length ? { annexes } : {}),
    properties: {
      title: cleanText(`Báo cáo ${subject}`),
      creator: cleanText(org.agencyName),
      description: draft ? `Dự thảo lần ${input.version}` : formatDocumentNumber(input.number, org.documentCode),
      custom: [
        { name: 'baocao.period', value: report.period.id },
        { name: 'baocao.mode', value: mode },
        { name: 'baocao.version', value: String(input.version) },
        ...(draft || input.number === undefined ? [] : [{ name: 'baocao.number', value: `${padTwo(input.number)}/${org.documentCode}` }]),
        ...(input.approvals ?? []).map((a, i) => ({
          name: `baocao.approval.${i + 1}`,
          value: cleanText(`${a.role}: ${a.name} (${a.decidedAt})`),
        })),
      ],
    },
    warnings,
  };
}

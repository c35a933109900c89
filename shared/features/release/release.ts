import { sha256 } from '../../crypto';
import { ConflictError, ValidationError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import type { ReleaseRef, ReportNumbering, ReportRecord } from '../../ports';
import { DOCX_CONTENT_TYPE, type RunInput } from '../reports/pipeline';
import { SignatureInvalidError } from '../signing/verification';
import { approvedReport, finalRenderInput } from './final-input';
import { reserveNumber } from './numbering';
import type { ReleaseDeps } from './ports';

/**
 * The signed original beside the .docx: the PDF the văn thư sealed. Both its signatures were
 * verified when the seal was applied (applySeal keeps the file only then) and the SHA-256 recorded
 * there pins those bytes: release copies exactly what verified, or nothing — the task fails and
 * the report records why. (No second verification here: it would carry pkijs into this function
 * for no new fact, docs/adr/0046-operable-on-aws.md.)
 */
export async function releaseSignedPdf(deps: ReleaseDeps, record: ReportRecord, key: string, fileName: string): Promise<ReleaseRef['pdf']> {
  const signing = record.signing;
  if (!deps.signed || !signing?.signedPdfSha256 || !signing.signedBy || !signing.sealedBy) {
    throw new ConflictError(`Báo cáo ${record.reportId} chưa mang đủ chữ ký số của người có thẩm quyền và của cơ quan; chưa thể ban hành.`);
  }
  const pdf = await deps.signed.files.getSigningFile(record.reportId, 'sealed');
  if (sha256(pdf) !== signing.signedPdfSha256) {
    throw new SignatureInvalidError('Tệp PDF đã ký bị thay đổi sau khi văn thư ký số. Văn bản không được phát hành.');
  }
  await deps.blobs.put(key, pdf, 'application/pdf');
  const { by: _clerk, ...sealedBy } = signing.sealedBy;
  return { key, sha256: signing.signedPdfSha256, fileName, signatures: [signing.signedBy, sealedBy] };
}

/** Release's answer when the clerk of records must enter the number first (clerk mode). */
export interface AwaitingNumber {
  awaitingNumber: true;
}

/**
 * Final step, idempotent: the number is reserved once per report (auto mode; in clerk mode the
 * clerk entered it), the .docx and its exports go to keys fixed by the number, and the report
 * flips to released by a conditional update (only from awaiting_approval with that number). A
 * fault anywhere leaves the reservation and the approvals in place: the retry completes the same
 * release. Telling the recipients is a separate step (notifyRecipients).
 */
export async function releaseReport(deps: ReleaseDeps, input: RunInput): Promise<ReleaseRef | AwaitingNumber> {
  const record = await deps.repo.getReport(input.reportId);
  if (!record?.aggregateKey) throw new ValidationError(`Báo cáo ${input.reportId} chưa có số liệu tổng hợp.`);
  if (record.status === 'released' && record.release) return record.release; // retried task
  if (record.status !== 'awaiting_approval') {
    throw new ConflictError(`Báo cáo ${input.reportId} đang ở trạng thái "${record.status}", không thể ban hành.`);
  }
  let numbering: ReportNumbering | undefined = record.numbering;
  if (!numbering) {
    if (deps.organization.numbering.mode === 'clerk') return { awaitingNumber: true };
    numbering = await reserveNumber(deps, record);
  }
  const { number, year } = numbering;
  const report = await approvedReport(deps, record);
  // The document builders are loaded here, not at module init (a retried or clerk-mode call never needs them).
  const [{ buildDocument }, { renderDocx, reportFileName }, { figuresJson, figuresXlsx }] = await Promise.all([
    import('../../document/build'),
    import('../../docx/render'),
    import('../../docx/exports'),
  ]);
  const model = buildDocument(finalRenderInput(deps, record, numbering, report));
  const doc = await renderDocx(model);
  const fileName = reportFileName({
    periodId: input.periodId,
    mode: 'final',
    version: record.drafts.length,
    number,
    year,
    // names from data (report type, organization's document code)
    templateId: deps.template.slug ?? deps.template.id,
    documentCode: deps.organization.documentCode,
  });
  // Keys fixed by year and number: a retry overwrites its own earlier objects, never adds others.
  const key = `released/${year}/${fileName}`;
  await deps.blobs.put(key, doc, DOCX_CONTENT_TYPE);
  await deps.blobs.putModel(key, model);
  // Next to the document: the figures for the ministry's reporting software (seed, section V.1),
  // with the approval history in the spreadsheet.
  const base = key.replace(/\.docx$/, '');
  const approvals = record.decisions.map((d) => ({
    role: d.role,
    name: d.decidedBy,
    decidedAt: d.decidedAt,
    decision: d.decision,
    comment: d.comment,
  }));
  await deps.blobs.put(`${base}.json`, JSON.stringify(figuresJson(report, deps.template), null, 2), 'application/json');
  await deps.blobs.put(
    `${base}.xlsx`,
    await figuresXlsx(report, deps.template, deps.organization, { approvals }),
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const pdf = deps.organization.signing
    ? await releaseSignedPdf(deps, record, `${base}.pdf`, fileName.replace(/\.docx$/, '.pdf'))
    : undefined;
  const release: ReleaseRef = {
    ...(pdf ? { pdf } : {}),
    number,
    documentNumber: formatDocumentNumber(number, deps.organization.documentCode),
    key,
    sha256: sha256(doc),
    fileName,
    exports: { json: `${base}.json`, xlsx: `${base}.xlsx` },
    releasedAt: numbering.recordedAt,
  };
  const at = deps.now().toISOString();
  const done = await deps.register.markReleased(input.reportId, release, at);
  if (done.flipped) {
    deps.metrics?.count('ReportsReleased');
    await deps.repo.appendReportAudit(input.reportId, {
      at,
      actor: 'system',
      action: 'report.released',
      detail: { number, year, documentNumber: release.documentNumber, key, sha256: release.sha256, by: numbering.by },
    });
  }
  return done.release;
}

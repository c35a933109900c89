import { newLinkSecret, sha256 } from '../../crypto';
import { figuresJson, figuresXlsx } from '../../docx/exports';
import { renderReport, reportFileName } from '../../docx/render';
import { reportSubject } from '../../domain/report-subject';
import { ValidationError } from '../../errors';
import { formatDateLine, formatDocumentNumber } from '../../format/vi';
import { vietnamYear } from '../../format/vietnam-time';
import type { ReleaseRef } from '../../ports';
import { DOCX_CONTENT_TYPE, loadAggregate, type RunInput } from '../reports/pipeline';
import { releaseEmail } from './emails';
import type { ReleaseDeps } from './ports';

/** How long a recipient's download link keeps working; each click mints a fresh short presigned GET. */
const DOWNLOAD_LINK_DAYS = 90;

/** Final step: number of the year (atomic), final .docx in released/, recipients notified. */
export async function releaseReport(deps: ReleaseDeps, input: RunInput): Promise<ReleaseRef> {
  const record = await deps.repo.getReport(input.reportId);
  if (!record?.aggregateKey) throw new ValidationError(`Báo cáo ${input.reportId} chưa có số liệu tổng hợp.`);
  if (record.release) return record.release; // retried task: already released, keep the number
  const report = await loadAggregate(deps, record.aggregateKey);
  const issuedAt = deps.now();
  const year = vietnamYear(issuedAt); // numbering restarts every 1 January, Vietnam time
  const number = await deps.repo.nextDocumentNumber(deps.organization.id, year);
  const doc = await renderReport({
    template: deps.template,
    report,
    organization: deps.organization,
    mode: 'final',
    version: record.drafts.length,
    number,
    issuedAt,
    reportFacts: record.reportFacts, // report facts stored at compile start
    approvals: record.decisions
      .filter((d) => d.decision === 'approve')
      .map((d) => ({ role: d.role, name: d.decidedBy, decidedAt: d.decidedAt })),
  });
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
  const key = `released/${year}/${fileName}`;
  await deps.blobs.put(key, doc, DOCX_CONTENT_TYPE);
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
  const release: ReleaseRef = {
    number,
    documentNumber: formatDocumentNumber(number, deps.organization.documentCode),
    key,
    sha256: sha256(doc),
    fileName,
    exports: { json: `${base}.json`, xlsx: `${base}.xlsx` },
    releasedAt: issuedAt.toISOString(),
  };
  await deps.repo.updateReport(input.reportId, { status: 'released', release, updatedAt: release.releasedAt });
  await deps.repo.appendReportAudit(input.reportId, {
    at: release.releasedAt,
    actor: 'system',
    action: 'report.released',
    detail: { number, documentNumber: release.documentNumber, key, sha256: release.sha256 },
  });

  const { secret, hash } = newLinkSecret();
  await deps.repo.putDownload(hash, {
    reportId: input.reportId,
    key,
    fileName,
    expiresAt: new Date(issuedAt.getTime() + DOWNLOAD_LINK_DAYS * 86400_000).toISOString(),
  });
  const to = [...new Set(deps.organization.recipients.flatMap((r) => r.emails))];
  if (to.length > 0) {
    const sent = await deps.mailer.send(
      releaseEmail({
        to,
        subject: reportSubject(deps.template, input.periodId),
        documentNumber: release.documentNumber,
        dateLine: formatDateLine(deps.organization.place, issuedAt),
        agencyName: deps.organization.agencyName,
        downloadUrl: `${deps.baseUrl}/download/${secret}`,
      }),
    );
    await deps.repo.appendReportAudit(input.reportId, {
      at: release.releasedAt,
      actor: 'system',
      action: 'email.release',
      detail: { to, messageId: sent.messageId },
    });
  }
  return release;
}

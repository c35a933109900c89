import { newLinkSecret } from '../../crypto';
import { reportSubject } from '../../domain/report-subject';
import { ConflictError, NotFoundError } from '../../errors';
import { formatDateLine } from '../../format/vi';
import { publicUrl } from '../../http/url';
import { releaseEmail } from './emails';
import type { ReleaseDeps } from './ports';

/** How long a recipient's download link keeps working; each click mints a fresh short presigned GET. */
const DOWNLOAD_LINK_DAYS = 90;

/**
 * Tells the recipients of a released report, each by their own mail and download link: its own
 * retried step, whose failure never un-releases the report. One mail per recipient per release:
 * each is claimed by a conditional write first, and a failed send gives its claim back so the
 * retry sends exactly the mails still missing.
 */
export async function notifyRecipients(deps: ReleaseDeps, reportId: string) {
  const record = await deps.repo.getReport(reportId);
  if (!record) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  const release = record.release;
  if (record.status !== 'released' || !release) throw new ConflictError(`Báo cáo ${reportId} chưa được ban hành; chưa gửi thư.`);
  const to = [...new Set(deps.organization.recipients.flatMap((r) => r.emails.map((e) => e.toLowerCase())))];
  let sent = 0;
  for (const email of to) {
    const now = deps.now();
    if (!(await deps.register.claimNotification(reportId, release.number, email, now.toISOString()))) continue;
    try {
      const { secret, hash } = newLinkSecret();
      // The signed original when there is one (the .docx beside it if the organization wants it).
      const docx = { key: release.key, fileName: release.fileName };
      await deps.repo.putDownload(hash, {
        reportId,
        ...(release.pdf ? { key: release.pdf.key, fileName: release.pdf.fileName, signed: true } : docx),
        ...(release.pdf && deps.organization.release.attachDocx ? { docx } : {}),
        expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_DAYS * 86400_000).toISOString(),
      });
      const mail = await deps.mailer.send(
        releaseEmail({
          to: [email],
          subject: reportSubject(deps.template, record.periodId),
          documentNumber: release.documentNumber,
          dateLine: formatDateLine(deps.organization.place, record.numbering?.issuedAt ?? release.releasedAt),
          agencyName: deps.organization.agencyName,
          downloadUrl: publicUrl(deps.baseUrl, `download/${secret}`),
          signed: Boolean(release.pdf),
          withDocx: Boolean(release.pdf && deps.organization.release.attachDocx),
        }),
      );
      await deps.register.completeNotification(reportId, release.number, email, mail.messageId);
      await deps.repo.appendReportAudit(reportId, {
        at: now.toISOString(),
        actor: 'system',
        action: 'email.release',
        detail: { to: [email], messageId: mail.messageId },
      });
      sent += 1;
    } catch (err) {
      // Give the claim back so the retried step sends this mail; the report stays released.
      await deps.register.dropNotification(reportId, release.number, email).catch(() => undefined);
      await deps.repo
        .appendReportAudit(reportId, {
          at: now.toISOString(),
          actor: 'system',
          action: 'email.release-failed',
          detail: { to: [email], error: err instanceof Error ? err.message : String(err) },
        })
        .catch(() => undefined);
      throw err;
    }
  }
  return { sent, recipients: to.length };
}

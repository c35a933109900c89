/**
 * The compiler's read-only view of one document of a report: any draft version or the released
 * file, drawn from the model stored beside its .docx (the same HTML the approvers read).
 */
import type { Organization } from '../../config/schema';
import { documentHtml } from '../../document/html';
import type { DocumentModel } from '../../document/model';
import { bareDocumentNumber, draftName, periodName } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page, raw } from '../../http/html';
import type { ReportRecord } from '../../ports';

export function documentPage(p: {
  report: ReportRecord;
  subject: string;
  organization: Organization;
  user?: string;
  /** A draft version, or undefined for the released document. */
  version?: number;
  model: DocumentModel;
}) {
  const r = p.report;
  const id = encodeURIComponent(r.reportId);
  const name = periodName(r.periodId);
  const draft = p.version !== undefined ? r.drafts.find((d) => d.version === p.version) : undefined;
  const what = draft ? draftName(draft.version) : `Báo cáo đã ban hành, số ${bareDocumentNumber(r.release?.documentNumber ?? '')}`;
  const when = draft ? `Dựng lúc ${vnDateTime(draft.createdAt)}` : r.release ? `Ban hành lúc ${vnDateTime(r.release.releasedAt)}` : '';
  const download = draft ? `/reports/${id}/download?draft=1&version=${draft.version}` : `/reports/${id}/download`;
  return page(
    `${what} — Báo cáo ${name}`,
    html`<h1>${what}</h1>
<p class="muted">Báo cáo ${p.subject}. ${when}.</p>
<p class="actions"><a class="btn btn-secondary" href="${download}">Tải bản .docx</a> <a href="/reports/${id}">Về trang báo cáo</a></p>
${raw(documentHtml(p.model, { headingLevel: 2 }))}`,
    200,
    {
      organization: p.organization,
      user: p.user,
      current: 'reports',
      crumbs: [[`Kỳ ${name}`, `/periods/${r.periodId}`], [`Báo cáo ${name}`, `/reports/${id}`], [what]],
    },
  );
}

import { chainFor, type Organization } from '../../config/schema';
import { csvCell } from '../../format/csv';
import { bareDocumentNumber, draftName, periodName } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page, raw } from '../../http/html';
import type { AuditEntry, ReportRecord } from '../../ports';
import { historyTable } from '../approval/pages';
import { signingStatus } from '../signing/pages';
import { auditActor, auditSentence, auditTechnical } from './audit-text';
import { progressList, STATUS_LABEL, statusBadge } from './progress';

/** Irreversible: a required reason and a confirming box; the server refuses either missing. */
function confirmForm(p: { action: string; id: string; label: string; reasonLabel: string; confirm: string; danger?: boolean }) {
  const fid = `${p.id}-reason`;
  return html`<form method="post" action="${p.action}" class="card">
<label for="${fid}">${p.reasonLabel} <span class="req">(*)</span></label><textarea id="${fid}" name="comment" required></textarea>
<label class="check"><input type="checkbox" name="confirm" value="1" required> ${p.confirm}</label>
<div class="actions"><button type="submit"${p.danger ? raw(' class="danger"') : ''}>${p.label}</button></div></form>`;
}

function downloads(r: ReportRecord, id: string) {
  const draft = r.drafts.at(-1);
  const items = [
    r.release
      ? html`<li><a class="btn" href="/reports/${id}/download">Tải báo cáo đã ban hành (số ${bareDocumentNumber(r.release.documentNumber)}, .docx)</a></li>
<li><a href="/reports/${id}/released">Xem báo cáo đã ban hành</a></li>
<li><a href="/reports/${id}/download?format=xlsx">Số liệu tổng hợp (.xlsx)</a></li>`
      : '',
    draft
      ? html`<li><a class="${r.release ? '' : 'btn'}" href="/reports/${id}/download?draft=1">Tải ${draftName(draft.version).toLowerCase()} (.docx)${r.status === 'awaiting_approval' ? ', đang trình duyệt' : ''}</a></li>
<li><a href="/reports/${id}/drafts/${draft.version}">Xem ${draftName(draft.version).toLowerCase()}</a></li>`
      : '',
  ];
  return draft || r.release
    ? html`<ul class="actions" style="list-style:none;padding:0">${items}</ul>`
    : html`<p class="muted">Chưa có tệp.</p>`;
}

export function reportPage(p: {
  report: ReportRecord;
  audit: AuditEntry[];
  subject: string;
  organization: Organization;
  templateId: string;
  user?: string;
}) {
  const r = p.report;
  const id = encodeURIComponent(r.reportId);
  const name = periodName(r.periodId);
  const division = (d: string) => p.organization.divisions.find((x) => x.id === d)?.name ?? d;
  const chain = chainFor(p.organization, p.templateId);
  const live = r.status === 'compiling' || r.status === 'awaiting_approval';
  // Once the last step approved, the report is being signed (features/signing), not waiting for an opinion.
  const waiting = r.status === 'awaiting_approval' && r.approval && !r.approval.done;
  const gap = r.gap;
  return page(
    `Báo cáo ${name}`,
    html`<h1>Báo cáo ${p.subject}</h1>
<div id="live" data-status="${r.status}"${live ? html` data-poll="/reports/${id}/progress"` : ''}>
<p>Trạng thái: ${statusBadge(r.status)} <span class="muted">Cập nhật lúc ${vnDateTime(r.updatedAt)}</span>${live ? html` · <a href="/reports/${id}">Làm mới</a>` : ''}</p>
${progressList(r, chain)}
</div>
${signingStatus(r)}
${gap ? html`<div class="alert alert-warn"><p><b>Tổng hợp khi số liệu còn thiếu.</b> ${gap.missing}</p><p>Lý do: ${gap.reason}</p></div>` : ''}
${
  waiting
    ? html`<div class="card"><p>Đang chờ ý kiến bước ${r.approval!.stepIndex + 1} (${chain[r.approval!.stepIndex]?.role ?? ''}); hạn ${vnDateTime(r.approval!.deadline)}${r.approval!.phase === 'escalated' ? ' (đã chuyển xử lý do quá hạn)' : ''}.</p>
</div>
${confirmForm({ action: `/reports/${id}/resend`, id: 'resend', label: 'Gửi lại thư xin ý kiến', reasonLabel: 'Lý do gửi lại thư', confirm: 'Tôi hiểu liên kết trong thư trước sẽ không còn dùng được' })}`
    : ''
}
${
  r.status === 'editing'
    ? html`<div class="alert alert-warn"><p><b>Số liệu đã tổng hợp; dự thảo chờ Văn phòng biên tập.</b> Sắp xếp, sửa, gộp hoặc bỏ các ý nội dung, điền thông tin của báo cáo, rồi gửi phê duyệt.</p>
<p class="actions"><a class="btn" href="/reports/${id}/desk">Biên tập và gửi phê duyệt</a></p></div>
${confirmForm({ action: `/reports/${id}/abandon`, id: 'abandon', label: 'Dừng báo cáo', reasonLabel: 'Lý do dừng báo cáo', confirm: 'Tôi hiểu báo cáo sẽ dừng hẳn, không được gửi phê duyệt và không thể tiếp tục', danger: true })}`
    : ''
}
${
  r.status === 'returned'
    ? html`<div class="alert alert-warn"><p>Báo cáo bị trả lại. Sau khi các đơn vị cập nhật số liệu, Văn phòng tổng hợp lại thành dự thảo mới và trình lại từ bước 1.</p></div>
${confirmForm({ action: `/reports/${id}/recompile`, id: 'recompile', label: `Tổng hợp lại (${draftName(r.drafts.length + 1).toLowerCase()})`, reasonLabel: 'Lý do tổng hợp lại (ví dụ: các đơn vị đã cập nhật số liệu)', confirm: 'Tôi hiểu dự thảo mới sẽ được trình lại từ bước 1' })}
${confirmForm({ action: `/reports/${id}/abandon`, id: 'abandon', label: 'Dừng báo cáo', reasonLabel: 'Lý do dừng báo cáo', confirm: 'Tôi hiểu báo cáo sẽ dừng hẳn và không thể tiếp tục', danger: true })}`
    : ''
}
${r.release ? html`<p class="alert alert-ok">Đã ban hành: <b>số ${bareDocumentNumber(r.release.documentNumber)}</b>, ${vnDateTime(r.release.releasedAt)}.</p>` : ''}
${r.failure ? html`<p class="alert alert-err">${r.failure.error === 'Rejected' ? 'Ý kiến trả lại' : 'Nguyên nhân'}: ${r.failure.cause}</p>` : ''}
<h2>Tệp báo cáo</h2>${downloads(r, id)}
${r.desk && r.status !== 'editing' && r.aggregateKey ? html`<p><a href="/reports/${id}/desk">Nội dung đã biên tập và các lần lưu</a></p>` : ''}
${r.drafts.length > 1 ? html`<details><summary>Các dự thảo trước</summary><ul>${r.drafts.map((d) => html`<li><a href="/reports/${id}/drafts/${d.version}">${draftName(d.version)}</a> — ${vnDateTime(d.createdAt)}</li>`)}</ul></details>` : ''}
<h2>Ý kiến phê duyệt</h2>${historyTable(r)}
<h2>Nhật ký</h2><p>Xuất nhật ký: <a href="/reports/${id}/audit.csv">tệp CSV</a></p>
<table class="stack"><thead><tr><th scope="col">Thời gian</th><th scope="col">Người thực hiện</th><th scope="col">Việc</th></tr></thead><tbody>
${p.audit.map((a) => html`<tr><td data-label="Thời gian">${vnDateTime(a.at)}</td><td data-label="Người thực hiện">${auditActor(a.actor, division)}</td><td data-label="Việc">${auditSentence(a, division)}${auditTechnical(a)}</td></tr>`)}</tbody></table>
<script src="/assets/live.js" defer></script>`,
    200,
    {
      organization: p.organization,
      user: p.user,
      current: 'reports',
      crumbs: [[`Kỳ ${name}`, `/periods/${r.periodId}`], [`Báo cáo ${name}`]],
    },
  );
}

/** The audit trail as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese correctly). */
export function auditCsv(audit: AuditEntry[], division: (id: string) => string = (id) => id): string {
  // csvCell neutralises formulas (=, +, -, @ …) a spreadsheet would run (OWASP CSV injection).
  const cell = csvCell;
  const rows = [['Thời gian (UTC)', 'Người thực hiện', 'Việc', 'Mã việc', 'Chi tiết'].map(cell).join(',')];
  for (const a of audit)
    rows.push([a.at, auditActor(a.actor, division), auditSentence(a, division), a.action, JSON.stringify(a.detail)].map(cell).join(','));
  return `\ufeff${rows.join('\r\n')}\r\n`;
}

export { STATUS_LABEL };

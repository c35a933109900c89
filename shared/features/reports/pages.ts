import type { Organization } from '../../config/schema';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page } from '../../http/html';
import type { AuditEntry, ReportRecord, StoredSubmission } from '../../ports';
import { historyTable } from '../approval/pages';

const STATUS_LABEL: Record<string, string> = {
  compiling: 'Đang tổng hợp',
  awaiting_approval: 'Chờ phê duyệt',
  released: 'Đã ban hành',
  returned: 'Bị trả lại, chờ tổng hợp lại',
  rejected: 'Đã dừng sau khi bị trả lại',
  timed_out: 'Quá hạn phê duyệt',
  failed: 'Lỗi',
  superseded: 'Đã bị thay thế bởi báo cáo mới hơn',
};

/** Reports that hold their period: a new compile must supersede them. */
const LIVE = ['compiling', 'awaiting_approval', 'returned', 'released'];

export function homePage(p: { organization: Organization; periods: string[]; local: boolean; user?: string }) {
  const signedIn = p.local || Boolean(p.user);
  return page(
    'Trang chủ',
    html`<h1>Hệ thống báo cáo định kỳ — ${p.organization.agencyName}</h1>
<p>Các phòng, đơn vị nộp số liệu qua biểu mẫu; hệ thống kiểm tra, tổng hợp, dựng dự thảo báo cáo theo Nghị định 30/2020/NĐ-CP, trình lãnh đạo phê duyệt qua thư điện tử và ban hành.</p>
${
  signedIn
    ? html`<h2>Kỳ báo cáo</h2><ul>${p.periods.map((id) => html`<li><a href="/periods/${id}">Kỳ ${id}</a></li>`)}</ul>
<h2>Nộp số liệu</h2><p><a href="/form">Mở biểu mẫu nộp số liệu</a></p>
${p.local ? html`<h2>Hộp thư (môi trường cục bộ)</h2><p><a href="/_local/inbox">Xem thư đã gửi</a></p>` : html`<form method="post" action="/signout"><p>Đã đăng nhập: ${p.user} <button type="submit">Đăng xuất</button></p></form>`}`
    : html`<p>Các phòng, đơn vị và lãnh đạo truy cập hệ thống qua liên kết được gửi trong thư điện tử.</p>
<p><a href="/signin">Văn phòng đăng nhập</a></p>`
}`,
  );
}

export function periodPage(p: {
  organization: Organization;
  periodId: string;
  periodLabel: string;
  /** The quarters the period is built from (each has its completeness dashboard). */
  quarters: string[];
  submissions: StoredSubmission[];
  reports: ReportRecord[];
}) {
  const rows = p.organization.divisions.map((d) => {
    const mine = p.submissions.filter((s) => s.divisionId === d.id);
    return html`<tr><td>${d.name}</td><td>${mine.length ? mine.map((s) => `${s.periodId} v${s.version}`).join(', ') : 'Chưa nộp'}</td></tr>`;
  });
  return page(
    `Kỳ ${p.periodId}`,
    html`<h1>Kỳ ${p.periodLabel}</h1>
<h2>Tình hình nộp số liệu</h2>
<p>Theo dõi và nhắc nộp từng quý: ${p.quarters.map((q) => html`<a href="/periods/${q}/completeness">${q}</a> `)}</p>
<table><thead><tr><th>Đơn vị</th><th>Đã nộp</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Báo cáo</h2>
<ul>${p.reports.map((r) => html`<li><a href="/reports/${r.reportId}">${r.reportId}</a> — ${STATUS_LABEL[r.status] ?? r.status}</li>`)}</ul>
<form method="post" action="/periods/${p.periodId}/compile">
${p.reports.some((r) => LIVE.includes(r.status)) ? html`<p><label><input type="checkbox" name="supersede" value="true"> Thay thế báo cáo hiện có của kỳ này (báo cáo cũ dừng lại, các liên kết phê duyệt của nó hết hiệu lực)</label></p>` : ''}
<button type="submit">Tổng hợp và dựng dự thảo</button></form>`,
  );
}

/** Audit actions as people read them. */
const ACTION_LABEL: Record<string, string> = {
  'submission.accepted': 'Tiếp nhận số liệu',
  'report.compile_started': 'Bắt đầu tổng hợp',
  'draft.built': 'Dựng dự thảo',
  'email.approval_request': 'Gửi thư xin ý kiến',
  'email.approval_reminder': 'Gửi thư nhắc',
  'email.approval_escalation': 'Gửi thư chuyển xử lý (quá hạn)',
  'email.approval_resend': 'Gửi lại thư xin ý kiến',
  'approval.reminder_due': 'Đến hạn nhắc',
  'approval.escalated': 'Chuyển xử lý do quá hạn',
  'approval.expired': 'Hết hạn phê duyệt',
  'approval.resent': 'Văn phòng gửi lại thư',
  'decision.approve': 'Đồng ý',
  'decision.return': 'Trả lại',
  'report.returned': 'Báo cáo bị trả lại',
  'report.recompile': 'Tổng hợp lại',
  'report.abandon': 'Dừng báo cáo',
  'report.released': 'Ban hành',
  'email.release': 'Gửi báo cáo tới nơi nhận',
  'report.rejected': 'Kết thúc: bị trả lại',
  'report.timed_out': 'Kết thúc: quá hạn',
  'report.failed': 'Kết thúc: lỗi',
};

export function reportPage(p: { report: ReportRecord; audit: AuditEntry[]; subject: string }) {
  const r = p.report;
  const id = encodeURIComponent(r.reportId);
  const waiting = r.status === 'awaiting_approval' && r.approval;
  return page(
    `Báo cáo ${r.reportId}`,
    html`<h1>Báo cáo ${p.subject}</h1>
<p>Mã: ${r.reportId} — Trạng thái: <b>${STATUS_LABEL[r.status] ?? r.status}</b></p>
${
  waiting
    ? html`<p>Đang chờ bước ${r.approval!.stepIndex + 1}; hạn ${vnDateTime(r.approval!.deadline)}${r.approval!.phase === 'escalated' ? ' (đã chuyển xử lý do quá hạn)' : ''}.</p>
<form method="post" action="/reports/${id}/resend"><button type="submit">Gửi lại thư xin ý kiến</button></form>`
    : ''
}
${
  r.status === 'returned'
    ? html`<div class="box"><p>Báo cáo bị trả lại. Sau khi các đơn vị cập nhật số liệu, Văn phòng tổng hợp lại thành dự thảo mới và trình lại từ bước 1.</p>
<form method="post" action="/reports/${id}/recompile"><button type="submit">Tổng hợp lại (dự thảo v${r.drafts.length + 1})</button></form>
<form method="post" action="/reports/${id}/abandon"><label for="comment">Lý do dừng</label><textarea id="comment" name="comment"></textarea><button type="submit">Dừng báo cáo</button></form></div>`
    : ''
}
${r.release ? html`<p class="ok">Đã ban hành: ${r.release.documentNumber}, ${vnDateTime(r.release.releasedAt)}</p>` : ''}
${r.failure ? html`<p class="err">${r.failure.error === 'Rejected' ? 'Ý kiến trả lại' : 'Nguyên nhân'}: ${r.failure.cause}</p>` : ''}
<h2>Dự thảo</h2><ul>${r.drafts.map((d) => html`<li>v${d.version} — ${d.fileName} — SHA-256 ${d.sha256.slice(0, 16)}…</li>`)}</ul>
<h2>Ý kiến phê duyệt</h2>${historyTable(r)}
<h2>Nhật ký</h2><p>Xuất nhật ký: <a href="/reports/${id}/audit.csv">CSV</a> · <a href="/api/reports/${id}/audit">JSON</a></p>
<table><thead><tr><th>Thời gian</th><th>Người thực hiện</th><th>Việc</th><th>Chi tiết</th></tr></thead><tbody>
${p.audit.map((a) => html`<tr><td>${vnDateTime(a.at)}</td><td>${a.actor}</td><td>${ACTION_LABEL[a.action] ?? a.action}</td><td>${auditDetail(a)}</td></tr>`)}</tbody></table>`,
  );
}

function auditDetail(a: AuditEntry): string {
  const d = a.detail as Record<string, unknown>;
  const parts: string[] = [];
  if (d.step) parts.push(`bước ${d.step}`);
  if (d.version) parts.push(`v${d.version}`);
  if (d.to) parts.push(`tới ${Array.isArray(d.to) ? d.to.join(', ') : d.to}`);
  if (d.comment) parts.push(`ý kiến: ${d.comment}`);
  if (d.documentNumber) parts.push(String(d.documentNumber));
  const hash = (d.sha256 ?? d.draftSha256) as string | undefined;
  if (hash) parts.push(`SHA-256 ${hash.slice(0, 12)}…`);
  if (d.key && !d.documentNumber) parts.push(String(d.key));
  return parts.join('; ');
}

/** The audit trail as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese correctly). */
export function auditCsv(audit: AuditEntry[]): string {
  const cell = (v: unknown) => `"${String(v ?? '').replaceAll('"', '""')}"`;
  const rows = [['Thời gian (UTC)', 'Người thực hiện', 'Việc', 'Mã việc', 'Chi tiết'].map(cell).join(',')];
  for (const a of audit)
    rows.push([a.at, a.actor, ACTION_LABEL[a.action] ?? a.action, a.action, JSON.stringify(a.detail)].map(cell).join(','));
  return `\ufeff${rows.join('\r\n')}\r\n`;
}

import type { Organization } from '../config/schema';
import type { AuditEntry, ReportRecord, StoredSubmission, UploadRecord } from '../ports';
import { vnDateTime } from '../app/approvals';
import { html, page, raw } from './html';

export const STATUS_LABEL: Record<string, string> = {
  compiling: 'Đang tổng hợp',
  awaiting_approval: 'Chờ phê duyệt',
  released: 'Đã ban hành',
  rejected: 'Bị trả lại',
  timed_out: 'Quá hạn phê duyệt',
  failed: 'Lỗi',
};

export function homePage(p: { organization: Organization; periods: string[]; local: boolean }) {
  return page(
    'Trang chủ',
    html`<h1>Hệ thống báo cáo định kỳ — ${p.organization.agencyName}</h1>
<p>Các phòng, đơn vị nộp số liệu qua biểu mẫu; hệ thống kiểm tra, tổng hợp, dựng dự thảo báo cáo theo Nghị định 30/2020/NĐ-CP, trình lãnh đạo phê duyệt qua thư điện tử và ban hành.</p>
${
  p.local
    ? html`<h2>Kỳ báo cáo</h2><ul>${p.periods.map((id) => html`<li><a href="/periods/${id}">Kỳ ${id}</a></li>`)}</ul>
<h2>Nộp số liệu</h2><p><a href="/form">Mở biểu mẫu nộp số liệu</a></p>
<h2>Hộp thư (môi trường cục bộ)</h2><p><a href="/_local/inbox">Xem thư đã gửi</a></p>`
    : html`<p>Đồng chí truy cập hệ thống qua liên kết được gửi trong thư điện tử.</p>`
}`,
  );
}

export function formPage(p: { organization: Organization; division?: string; period?: string }) {
  const options = p.organization.divisions.map(
    (d) => html`<option value="${d.id}"${raw(d.id === p.division ? ' selected' : '')}>${d.name}</option>`,
  );
  return page(
    'Nộp số liệu',
    html`<h1>Nộp số liệu báo cáo</h1>
<form id="upload" class="box">
<label for="division">Đơn vị</label><select id="division" name="division" required>${options}</select>
<label for="period">Kỳ (quý)</label><input id="period" name="period" required pattern="\\d{4}-Q[1-4]" placeholder="2021-Q1" value="${p.period ?? ''}">
<label for="file">Tệp số liệu (.json)</label><input id="file" name="file" type="file" accept="application/json,.json" required>
<p><button type="submit">Gửi</button></p>
</form>
<div id="result" role="status" aria-live="polite"></div>
<script>${raw(UPLOAD_SCRIPT)}</script>`,
  );
}

/** Browser side of the upload: presigned POST straight to S3, then poll the ingest result. */
const UPLOAD_SCRIPT = `
const form = document.getElementById('upload');
const out = document.getElementById('result');
const show = (cls, text) => { out.className = 'box ' + cls; out.textContent = text; };
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = document.getElementById('file').files[0];
  if (!file) return show('err', 'Chưa chọn tệp.');
  show('', 'Đang gửi…');
  try {
    const r = await fetch('/uploads', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ division: form.division.value, period: form.period.value }) });
    const p = await r.json();
    if (!r.ok) return show('err', p.message || 'Không tạo được liên kết tải lên.');
    const fd = new FormData();
    for (const [k, v] of Object.entries(p.fields)) fd.append(k, v);
    fd.append('file', new Blob([await file.arrayBuffer()], { type: 'application/json' }), file.name);
    const up = await fetch(p.url, { method: 'POST', body: fd });
    if (!up.ok && up.status !== 204) return show('err', 'Tải tệp lên không thành công (mã ' + up.status + ').');
    for (let i = 0; i < 60; i++) {
      await new Promise((res) => setTimeout(res, 500));
      const s = await fetch('/uploads/status?key=' + encodeURIComponent(p.key));
      if (s.status === 404) continue;
      const rec = await s.json();
      if (rec.status === 'accepted') {
        const w = rec.warnings.map((x) => '⚠ ' + x.message).join('\\n');
        return show(w ? 'warn' : 'ok', 'Đã tiếp nhận (phiên bản ' + rec.version + ').' + (w ? '\\n' + w : ''));
      }
      return show('err', 'Bị từ chối:\\n' + rec.errors.map((x) => '✗ ' + x.label + ': ' + x.message).join('\\n'));
    }
    show('err', 'Hệ thống chưa trả kết quả; vui lòng tải lại trang sau ít phút.');
  } catch (err) { show('err', 'Lỗi mạng: ' + err.message + '. Số liệu chưa bị mất; hãy thử gửi lại.'); }
});`;

export function periodPage(p: {
  organization: Organization;
  periodId: string;
  periodLabel: string;
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
<h2>Tình hình nộp số liệu</h2><table><thead><tr><th>Đơn vị</th><th>Đã nộp</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Báo cáo</h2>
<ul>${p.reports.map((r) => html`<li><a href="/reports/${r.reportId}">${r.reportId}</a> — ${STATUS_LABEL[r.status] ?? r.status}</li>`)}</ul>
<form method="post" action="/periods/${p.periodId}/compile"><button type="submit">Tổng hợp và dựng dự thảo</button></form>`,
  );
}

export function reportPage(p: { report: ReportRecord; audit: AuditEntry[]; subject: string }) {
  const r = p.report;
  return page(
    `Báo cáo ${r.reportId}`,
    html`<h1>Báo cáo ${p.subject}</h1>
<p>Mã: ${r.reportId} — Trạng thái: <b>${STATUS_LABEL[r.status] ?? r.status}</b></p>
${r.release ? html`<p class="ok">Đã ban hành: ${r.release.documentNumber}, ${vnDateTime(r.release.releasedAt)}</p>` : ''}
${r.failure ? html`<p class="err">${r.failure.error === 'Rejected' ? 'Ý kiến trả lại' : 'Nguyên nhân'}: ${r.failure.cause}</p>` : ''}
<h2>Dự thảo</h2><ul>${r.drafts.map((d) => html`<li>v${d.version} — ${d.fileName} — SHA-256 ${d.sha256.slice(0, 16)}…</li>`)}</ul>
<h2>Ý kiến phê duyệt</h2>${historyTable(r)}
<h2>Nhật ký</h2><table><thead><tr><th>Thời gian</th><th>Người thực hiện</th><th>Việc</th></tr></thead><tbody>
${p.audit.map((a) => html`<tr><td>${vnDateTime(a.at)}</td><td>${a.actor}</td><td>${a.action}</td></tr>`)}</tbody></table>`,
  );
}

export function historyTable(r: ReportRecord) {
  if (r.decisions.length === 0) return html`<p>Chưa có ý kiến.</p>`;
  return html`<table><thead><tr><th>Bước</th><th>Người quyết định</th><th>Ý kiến</th><th>Thời gian</th></tr></thead><tbody>
${r.decisions.map(
  (d) =>
    html`<tr><td>${d.stepIndex + 1}. ${d.role}</td><td>${d.decidedBy}</td><td>${d.decision === 'approve' ? 'Đồng ý' : `Trả lại: ${d.comment ?? ''}`}</td><td>${vnDateTime(d.decidedAt)}</td></tr>`,
)}</tbody></table>`;
}

export function decisionPage(p: {
  secret: string;
  subject: string;
  role: string;
  approverName: string;
  draftVersion: number;
  expiresAt: string;
  report: ReportRecord;
}) {
  return page(
    'Phê duyệt báo cáo',
    html`<h1>Phê duyệt báo cáo</h1>
<p><b>${p.subject}</b> — dự thảo v${p.draftVersion}</p>
<p>Người phê duyệt: ${p.role} ${p.approverName}. Hạn: ${vnDateTime(p.expiresAt)}.</p>
<p><a href="/decision/${p.secret}/draft">Tải dự thảo (.docx)</a></p>
<h2>Các ý kiến trước</h2>${historyTable(p.report)}
<form method="post" class="box">
<label for="comment">Ý kiến (bắt buộc khi trả lại)</label><textarea id="comment" name="comment"></textarea>
<p><button type="submit" name="decision" value="approve">Đồng ý</button>
<button type="submit" name="decision" value="return">Trả lại</button></p>
</form>`,
  );
}

const PROBLEM_TEXT: Record<string, string> = {
  unknown: 'Liên kết không hợp lệ. Đồng chí vui lòng dùng đúng liên kết trong thư điện tử.',
  used: 'Liên kết này đã được sử dụng; ý kiến đã được ghi nhận trước đó. Không có thay đổi nào.',
  expired: 'Liên kết đã hết hạn. Không có thay đổi nào.',
  stale: 'Liên kết không còn hiệu lực vì báo cáo đã chuyển sang bước hoặc dự thảo khác. Không có thay đổi nào.',
  'comment-required': 'Khi trả lại dự thảo, đồng chí cần ghi ý kiến. Chưa có thay đổi nào.',
};

export function problemPage(problem: string, status = 410) {
  return page('Không thực hiện được', html`<h1>Không thực hiện được</h1><p class="err">${PROBLEM_TEXT[problem] ?? problem}</p>`, status);
}

export function decidedPage(decision: 'approve' | 'return') {
  return page(
    'Đã ghi nhận',
    html`<h1>Đã ghi nhận ý kiến</h1><p class="ok">${decision === 'approve' ? 'Đồng chí đã đồng ý dự thảo. Báo cáo được chuyển sang bước tiếp theo.' : 'Đồng chí đã trả lại dự thảo. Ý kiến đã được gửi tới bộ phận tổng hợp.'}</p>`,
  );
}

export function uploadResultText(rec: UploadRecord): string {
  return rec.status === 'accepted' ? 'Đã tiếp nhận' : 'Bị từ chối';
}

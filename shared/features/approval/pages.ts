import type { Organization } from '../../config/schema';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page } from '../../http/html';
import { problemPage } from '../../http/router';
import type { DecisionRecord, ReportRecord } from '../../ports';

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
  divisions: Organization['divisions'];
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
<fieldset><legend>Khi trả lại: đơn vị cần rà soát số liệu (nếu có)</legend>
${p.divisions.map((d) => html`<label><input type="checkbox" name="divisions" value="${d.id}"> ${d.name}</label>`)}
</fieldset>
<p><button type="submit" name="decision" value="approve">Đồng ý</button>
<button type="submit" name="decision" value="return">Trả lại</button></p>
</form>`,
  );
}

const PROBLEM_TEXT: Record<string, string> = {
  unknown: 'Liên kết không hợp lệ. Đồng chí vui lòng dùng đúng liên kết trong thư điện tử.',
  used: 'Liên kết này đã được sử dụng; ý kiến đã được ghi nhận trước đó. Không có thay đổi nào.',
  superseded:
    'Liên kết này đã được thay bằng liên kết mới hơn (thư nhắc, chuyển xử lý hoặc gửi lại), hoặc bước này đã có người khác quyết định. Vui lòng dùng thư mới nhất. Không có thay đổi nào.',
  expired: 'Liên kết đã hết hạn. Không có thay đổi nào.',
  stale: 'Liên kết không còn hiệu lực vì báo cáo đã chuyển sang bước hoặc dự thảo khác. Không có thay đổi nào.',
  'handoff-expired':
    'Bước phê duyệt này đã hết thời gian chờ hoặc đã được thay bằng thư mới (nhắc, chuyển xử lý, gửi lại). Ý kiến của đồng chí CHƯA được ghi nhận; vui lòng dùng liên kết trong thư mới nhất.',
  'handoff-unavailable':
    'Hệ thống tạm thời chưa chuyển được ý kiến tới quy trình phê duyệt. Ý kiến CHƯA được ghi nhận và liên kết vẫn dùng được; vui lòng gửi lại sau ít phút.',
};

/** A decision or download link that cannot be used: says why, changes nothing. */
export function linkProblemPage(problem: string, status = 410) {
  return problemPage(PROBLEM_TEXT[problem] ?? problem, status);
}

/** The step already has its decision (any-of: the first one wins): who decided, what, and when. */
export function alreadyDecidedPage(d: DecisionRecord, status: number) {
  const what = d.decision === 'approve' ? 'Đồng ý' : `Trả lại${d.comment ? ` — ý kiến: “${d.comment}”` : ''}`;
  return page(
    'Bước này đã có ý kiến',
    html`<h1>Bước này đã có ý kiến</h1>
<p class="ok" role="status">Bước ${d.stepIndex + 1} (${d.role}) đã được <b>${d.decidedBy.replace(/\s*<.*>$/, '')}</b> quyết định: <b>${what}</b>, lúc ${vnDateTime(d.decidedAt)}.</p>
<p>Mỗi bước chỉ ghi nhận một ý kiến. Không có thay đổi nào từ liên kết này.</p>`,
    status,
  );
}

export function decidedPage(decision: 'approve' | 'return') {
  return page(
    'Đã ghi nhận',
    html`<h1>Đã ghi nhận ý kiến</h1><p class="ok">${decision === 'approve' ? 'Đồng chí đã đồng ý dự thảo. Báo cáo được chuyển sang bước tiếp theo.' : 'Đồng chí đã trả lại dự thảo. Ý kiến đã được gửi tới bộ phận tổng hợp.'}</p>`,
  );
}

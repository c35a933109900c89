import type { Organization } from '../../config/schema';
import { bareDocumentNumber, draftName } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import { html, page, type Raw, raw } from '../../http/html';
import { problemPage } from '../../http/router';
import type { DecisionRecord, ReportRecord } from '../../ports';

export function historyTable(r: ReportRecord) {
  if (r.decisions.length === 0) return html`<p class="muted">Chưa có ý kiến.</p>`;
  return html`<table class="stack"><thead><tr><th scope="col">Bước</th><th scope="col">Người quyết định</th><th scope="col">Ý kiến</th><th scope="col">Thời gian</th></tr></thead><tbody>
${r.decisions.map(
  (d) =>
    html`<tr><td data-label="Bước">${d.stepIndex + 1}. ${d.role}</td><td data-label="Người quyết định">${d.decidedBy}</td><td data-label="Ý kiến">${d.decision === 'approve' ? html`<span class="badge badge-ok">Đồng ý</span>` : html`<span class="badge badge-err">Trả lại</span> ${d.comment ?? ''}`}</td><td data-label="Thời gian">${vnDateTime(d.decidedAt)}</td></tr>`,
)}</tbody></table>`;
}

/** A key figure of the draft: label and the value as printed ("16.075", "98,95 %"). */
export interface KeyFigure {
  label: string;
  value: string;
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
  organization?: Organization;
  figures?: KeyFigure[];
  /** The draft itself (documentHtml of its stored model); absent for a draft rendered before models were kept. */
  draftHtml?: string;
  /** What changed since the draft this approver last decided on (changes.ts). */
  changes?: Raw;
  /** Re-shown after a refused POST: the message, what was typed and ticked. */
  error?: string;
  comment?: string;
  ticked?: string[];
}) {
  const gap = p.report.gap;
  const ticked = new Set(p.ticked ?? []);
  return page(
    'Phê duyệt báo cáo',
    html`<h1>Phê duyệt báo cáo ${p.subject}</h1>
<p><span class="badge badge-info">${draftName(p.draftVersion)}</span> Người phê duyệt: <b>${p.role} ${p.approverName}</b>. Hạn: ${vnDateTime(p.expiresAt)}.</p>
${gap ? html`<div class="alert alert-warn" role="note"><p><b>Lưu ý: dự thảo được tổng hợp khi số liệu còn thiếu.</b> ${gap.missing}</p><p>Lý do của Văn phòng: ${gap.reason}</p></div>` : ''}
${p.figures?.length ? html`<h2>Số liệu chính</h2><ul class="figures">${p.figures.map((f) => html`<li>${f.label}<b>${f.value}</b></li>`)}</ul>` : ''}
${p.changes ?? ''}
<h2 id="toan-van">Toàn văn dự thảo</h2>
<p><a class="btn btn-secondary" href="/decision/${p.secret}/draft">Tải dự thảo (.docx)</a></p>
${p.draftHtml ? raw(p.draftHtml) : html`<p class="muted">Dự thảo này chỉ có bản .docx; đồng chí vui lòng tải về để đọc.</p>`}
<h2>Các ý kiến trước</h2>${historyTable(p.report)}
<h2>Ý kiến của đồng chí</h2>
<form method="post" class="card" novalidate>
${p.error ? html`<p class="alert alert-err" role="alert" id="decision-error">${p.error}</p>` : ''}
<label for="comment">Ý kiến (bắt buộc khi trả lại)</label><textarea id="comment" name="comment"${p.error ? raw(' aria-invalid="true" aria-describedby="decision-error"') : ''}>${p.comment ?? ''}</textarea>
<fieldset><legend>Khi trả lại: đơn vị cần rà soát số liệu (nếu có)</legend>
${p.divisions.map((d) => html`<label class="check"><input type="checkbox" name="divisions" value="${d.id}"${raw(ticked.has(d.id) ? ' checked' : '')}> ${d.name}</label>`)}
</fieldset>
<div class="actions"><button type="submit" name="decision" value="approve">Đồng ý</button>
<button type="submit" name="decision" value="return" class="danger">Trả lại</button></div>
</form>`,
    p.error ? 400 : 200,
    { organization: p.organization },
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
<p class="alert alert-ok" role="status">Bước ${d.stepIndex + 1} (${d.role}) đã được <b>${d.decidedBy.replace(/\s*<.*>$/, '')}</b> quyết định: <b>${what}</b>, lúc ${vnDateTime(d.decidedAt)}.</p>
<p>Mỗi bước chỉ ghi nhận một ý kiến. Không có thay đổi nào từ liên kết này.</p>`,
    status,
  );
}

/**
 * After a decision. The final approver learns the report was released and its number
 * (or that release is under way when the number is not known yet).
 */
export function decidedPage(decision: 'approve' | 'return', final?: { documentNumber?: string }) {
  let text: string;
  if (decision === 'return') text = 'Đồng chí đã trả lại dự thảo. Ý kiến đã được gửi tới bộ phận tổng hợp.';
  else if (!final) text = 'Đồng chí đã đồng ý dự thảo. Báo cáo được chuyển sang bước phê duyệt tiếp theo.';
  else if (final.documentNumber)
    text = `Đồng chí đã đồng ý dự thảo. Báo cáo đã được ban hành, số ${bareDocumentNumber(final.documentNumber)}, và gửi tới nơi nhận.`;
  else text = 'Đồng chí đã đồng ý dự thảo. Đây là bước phê duyệt cuối cùng: báo cáo đang được ban hành và sẽ được gửi tới nơi nhận.';
  return page('Đã ghi nhận', html`<h1>Đã ghi nhận ý kiến</h1><p class="alert alert-ok" role="status">${text}</p>`);
}

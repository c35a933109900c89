import type { Organization } from '../../../config/schema';
import { periodName } from '../../../format/period-name';
import { vnDateTime } from '../../../format/vietnam-time';
import { html, page, raw } from '../../../http/html';
import { type CompletenessReport, MISSING, STATUS_TEXT } from '../completeness';

const BADGE: Record<string, string> = {
  on_time: 'badge-ok',
  late: 'badge-warn',
  refused: 'badge-err',
  reopened: 'badge-warn',
  not_started: 'badge-err',
};

/** The compiler's view of one quarter: who has submitted, reminders, reopen (confirmed, with a reason), open. */
export function completenessPage(p: {
  report: CompletenessReport;
  flash?: string;
  ask?: boolean;
  user?: string;
  organization?: Organization;
}) {
  const r = p.report;
  const name = periodName(r.periodId);
  const missing = r.divisions.filter((d) => MISSING.includes(d.status)).length;
  const invited = r.divisions.filter((d) => d.hasValidInvite).length;
  const rows = r.divisions.map(
    (d) => html`<tr data-division="${d.divisionId}"><th scope="row">${d.divisionName}</th>
<td data-label="Trạng thái" data-status="${d.status}"><span class="badge ${BADGE[d.status] ?? ''}">${STATUS_TEXT[d.status]}</span></td>
<td data-label="Lần nộp hiện hành">${d.version ? html`Lần ${d.version}, ${vnDateTime(d.submittedAt!)}` : '—'}</td>
<td data-label="Nhắc nộp">${d.remindersSent ? html`${d.remindersSent} lần, lần cuối ${vnDateTime(d.lastReminderAt!)}` : 'Chưa nhắc'}</td>
<td data-label="Liên kết nộp">${d.hasValidInvite ? 'Còn hiệu lực' : 'Không có hoặc đã hết hạn'}</td>
<td data-label="Mở lại"><details><summary>Mở lại cho đơn vị</summary>
<form method="post" action="/periods/${r.periodId}/reopen"><input type="hidden" name="division" value="${d.divisionId}">
<label for="reopen-${d.divisionId}">Lý do mở lại <span class="req">(*)</span></label><textarea id="reopen-${d.divisionId}" name="comment" required rows="2"></textarea>
<label class="check"><input type="checkbox" name="confirm" value="1" required> Tôi xác nhận mở lại; trạng thái nộp của đơn vị sẽ chuyển thành “đã mở lại, chờ nộp”</label>
<button type="submit" class="secondary">Mở lại cho ${d.divisionName}</button></form></details></td></tr>`,
  );
  const openForm = p.ask
    ? html`<form method="post" action="/periods/${r.periodId}/open" class="card" id="mo-ky"><div class="alert alert-warn" role="alert"><p>Kỳ này đã được mở: ${invited} đơn vị đang có liên kết nộp còn hiệu lực.</p></div>
<fieldset><legend>Gửi liên kết cho</legend>
<label class="check"><input type="radio" name="scope" value="new" checked> Chỉ các đơn vị chưa có liên kết (${r.divisions.length - invited} đơn vị)</label>
<label class="check"><input type="radio" name="scope" value="all"> Tất cả ${r.divisions.length} đơn vị (liên kết cũ sẽ hết hiệu lực)</label></fieldset>
<label class="check"><input type="checkbox" name="confirm" value="1"> Tôi xác nhận gửi lại cho tất cả (chỉ cần khi chọn “Tất cả”)</label>
<div class="actions"><button type="submit">Gửi liên kết</button> <a href="/periods/${r.periodId}/completeness">Hủy</a></div></form>`
    : html`<form method="post" action="/periods/${r.periodId}/open" class="card" id="mo-ky"><p>Mở kỳ: gửi liên kết nộp số liệu cho các đơn vị.${invited ? ` ${invited} đơn vị đã có liên kết còn hiệu lực; hệ thống sẽ hỏi trước khi gửi lại.` : ''}</p><div class="actions"><button type="submit">Mở kỳ và gửi liên kết</button></div></form>`;
  return page(
    `Tình hình nộp số liệu ${name}`,
    html`<h1>Tình hình nộp số liệu ${name}</h1>
<p>Hạn nộp: <b>${vnDateTime(r.deadlineEnd)}</b>. Đúng hạn: ${r.counts.on_time}; muộn: ${r.counts.late}; chưa nộp: ${r.counts.not_started}; bị từ chối: ${r.counts.refused}; đã mở lại: ${r.counts.reopened}.</p>
${p.flash ? html`<p class="alert alert-ok" role="status">${p.flash}</p>` : ''}
<table id="completeness" class="stack"><thead><tr><th scope="col">Đơn vị</th><th scope="col">Trạng thái</th><th scope="col">Lần nộp hiện hành</th><th scope="col">Nhắc nộp</th><th scope="col">Liên kết nộp</th><th scope="col">Mở lại</th></tr></thead>
<tbody>${rows}</tbody></table>
<form method="post" action="/periods/${r.periodId}/remind" class="card"><p>${missing} đơn vị chưa hoàn thành. Gửi thư nhắc kèm liên kết nộp mới cho các đơn vị này.</p>
<div class="actions"><button type="submit" class="secondary"${raw(missing ? '' : ' disabled')}>Gửi nhắc nhở</button></div></form>
${openForm}`,
    200,
    {
      organization: p.organization,
      user: p.user,
      current: 'periods',
      crumbs: [[`Kỳ ${name}`, `/periods/${r.periodId}`], ['Tình hình nộp số liệu']],
    },
  );
}

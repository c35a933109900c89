import { vnDateTime } from '../../../format/vietnam-time';
import { html, page, raw } from '../../../http/html';
import { type CompletenessReport, MISSING, STATUS_TEXT } from '../completeness';
import { INTAKE_STYLE } from './form-page';

const CLASS: Record<string, string> = { on_time: 'ok', late: 'warn', refused: 'err', reopened: 'warn', not_started: '' };

/** The compiler's view of one quarter: who has submitted, reminders, reopen. Local system only. */
export function completenessPage(p: { report: CompletenessReport; periodLabel: string; flash?: string }) {
  const r = p.report;
  const missing = r.divisions.filter((d) => MISSING.includes(d.status)).length;
  const rows = r.divisions.map(
    (d) => html`<tr data-division="${d.divisionId}"><th scope="row">${d.divisionName} (${d.divisionId})</th>
<td class="${CLASS[d.status]}" data-status="${d.status}">${STATUS_TEXT[d.status]}</td>
<td>${d.version ? html`v${d.version}, ${vnDateTime(d.submittedAt!)}` : '—'}</td>
<td>${d.remindersSent ? html`${d.remindersSent} lần, lần cuối ${vnDateTime(d.lastReminderAt!)}` : 'Chưa nhắc'}</td>
<td>${d.hasValidInvite ? 'Còn hiệu lực' : 'Không có / hết hạn'}</td>
<td><form method="post" action="/periods/${r.periodId}/reopen"><input type="hidden" name="division" value="${d.divisionId}">
<button type="submit" aria-label="Mở lại cho ${d.divisionName}">Mở lại</button></form></td></tr>`,
  );
  return page(
    `Tình hình nộp số liệu ${r.periodId}`,
    html`<style>${raw(INTAKE_STYLE)}</style><h1>Tình hình nộp số liệu ${p.periodLabel}</h1>
<p>Hạn nộp: <b>${vnDateTime(r.deadlineEnd)}</b>. Đúng hạn: ${r.counts.on_time}; muộn: ${r.counts.late}; chưa nộp: ${r.counts.not_started}; bị từ chối: ${r.counts.refused}; đã mở lại: ${r.counts.reopened}.</p>
${p.flash ? html`<p class="notice" role="status">${p.flash}</p>` : ''}
<div class="table-wrap"><table id="completeness"><thead><tr><th scope="col">Đơn vị</th><th scope="col">Trạng thái</th><th scope="col">Phiên bản hiện hành</th><th scope="col">Nhắc nhở đã gửi</th><th scope="col">Liên kết nộp</th><th scope="col">Mở lại</th></tr></thead>
<tbody>${rows}</tbody></table></div>
<form method="post" action="/periods/${r.periodId}/remind" class="box"><p>${missing} đơn vị chưa hoàn thành. Gửi thư nhắc kèm liên kết nộp mới cho các đơn vị này.</p>
<button type="submit"${raw(missing ? '' : ' disabled')}>Gửi nhắc nhở</button></form>
<form method="post" action="/periods/${r.periodId}/open" class="box"><p>Mở kỳ: gửi liên kết nộp số liệu cho tất cả đơn vị.</p><button type="submit">Mở kỳ và gửi liên kết</button></form>
<p><a href="/periods/${r.periodId}">Về trang kỳ ${r.periodId}</a></p>`,
  );
}

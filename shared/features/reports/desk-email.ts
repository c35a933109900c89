import { draftName } from '../../format/period-name';
import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

/** To the compiler: the report waits at the editing desk before it goes to the approvers. */
export function deskEmail(p: { to: string[]; subject: string; draftNumber: number; flags: number; deskUrl: string }): MailMessage {
  const draft = draftName(p.draftNumber).toLowerCase();
  const review = p.flags
    ? `${p.flags} chỉnh sửa trước đây không còn áp dụng được vì nội dung của đơn vị đã thay đổi; đồng chí vui lòng xem lại các mục được đánh dấu.`
    : '';
  const text = [
    'Kính gửi Văn phòng,',
    '',
    `Số liệu báo cáo "${p.subject}" đã được tổng hợp. Trước khi ${draft} được gửi phê duyệt, đồng chí có thể sắp xếp, sửa, gộp hoặc bỏ các ý nội dung và điền thông tin của báo cáo.`,
    ...(review ? ['', review] : []),
    '',
    `Biên tập và gửi phê duyệt: ${p.deskUrl}`,
  ].join('\n');
  const body = html`<p>Kính gửi Văn phòng,</p>
<p>Số liệu báo cáo <b>${p.subject}</b> đã được tổng hợp. Trước khi ${draft} được gửi phê duyệt, đồng chí có thể sắp xếp, sửa, gộp hoặc bỏ các ý nội dung và điền thông tin của báo cáo.</p>
${review ? html`<p style="border-left:4px solid #c58a00;background:#fff5e0;padding:8px 12px">${review}</p>` : ''}
<p><a href="${p.deskUrl}">Biên tập và gửi phê duyệt</a></p>`;
  return { to: p.to, subject: `[Chờ biên tập] Báo cáo ${p.subject} — ${draft}`, text, html: mailLayout(body) };
}

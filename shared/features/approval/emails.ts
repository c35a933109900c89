import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

const REASON_PREFIX = {
  request: '[Cần phê duyệt]',
  reminder: '[Nhắc phê duyệt]',
  escalation: '[Quá hạn – cần phê duyệt]',
  resend: '[Cần phê duyệt – gửi lại]',
} as const;

const REASON_NOTE = {
  request: '',
  reminder: 'Đây là thư nhắc: hạn xử lý sắp đến. ',
  escalation: 'Bước phê duyệt đã quá hạn và được chuyển thêm cho đồng chí để xử lý thay. ',
  resend: 'Thư này thay cho thư trước; liên kết trong thư trước không còn dùng được. ',
} as const;

export function approvalRequestEmail(p: {
  reason: keyof typeof REASON_PREFIX;
  draftUrl: string;
  to: string[];
  approverName: string;
  role: string;
  stepNumber: number;
  stepCount: number;
  periodLabel: string;
  subject: string;
  draftVersion: number;
  decisionUrl: string;
  deadline: string;
}): MailMessage {
  const subject = `${REASON_PREFIX[p.reason]} Báo cáo ${p.subject} — dự thảo v${p.draftVersion}`;
  const note = REASON_NOTE[p.reason];
  const text = [
    `Kính gửi ${p.role} ${p.approverName},`,
    '',
    `${note}Báo cáo "${p.subject}" (kỳ ${p.periodLabel}), dự thảo v${p.draftVersion}, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).`,
    `Hạn xử lý: ${p.deadline}.`,
    '',
    `Tải dự thảo (liên kết có thời hạn): ${p.draftUrl}`,
    `Xem dự thảo và cho ý kiến: ${p.decisionUrl}`,
    '',
    'Mở liên kết chỉ để xem; việc phê duyệt hoặc trả lại chỉ được ghi nhận khi đồng chí bấm nút xác nhận trên trang.',
  ].join('\n');
  const body = html`<p>Kính gửi ${p.role} ${p.approverName},</p>
<p>${note}Báo cáo <b>${p.subject}</b> (kỳ ${p.periodLabel}), <b>dự thảo v${p.draftVersion}</b>, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).</p>
<p>Hạn xử lý: ${p.deadline}.</p>
<p><a href="${p.draftUrl}">Tải dự thảo (.docx)</a> (liên kết có thời hạn)</p>
<p><a href="${p.decisionUrl}">Xem dự thảo và cho ý kiến</a></p>
<p>Mở liên kết chỉ để xem; việc phê duyệt hoặc trả lại chỉ được ghi nhận khi đồng chí bấm nút xác nhận trên trang.</p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

export function returnedEmail(p: {
  to: string[];
  subject: string;
  role: string;
  by: string;
  comment: string;
  reportUrl: string;
  /** Compiler: what to do next; divisions: that their figures are concerned. */
  audience: 'compiler' | 'division';
}): MailMessage {
  const subject = `[Trả lại] Báo cáo ${p.subject}`;
  const next =
    p.audience === 'compiler'
      ? 'Bộ phận tổng hợp có thể mở lại số liệu của đơn vị liên quan, sau đó tổng hợp lại thành dự thảo mới (lệnh "baocao recompile") hoặc dừng báo cáo (lệnh "baocao abandon").'
      : 'Số liệu của đơn vị được nêu trong ý kiến trên. Văn phòng sẽ gửi liên kết để đơn vị cập nhật số liệu.';
  const text = [
    `${p.role} ${p.by} đã trả lại dự thảo báo cáo "${p.subject}" với ý kiến:`,
    '',
    p.comment,
    '',
    next,
    ...(p.audience === 'compiler' ? ['', `Xem báo cáo: ${p.reportUrl}`] : []),
  ].join('\n');
  const body = html`<p>${p.role} ${p.by} đã trả lại dự thảo báo cáo <b>${p.subject}</b> với ý kiến:</p>
<blockquote>${p.comment}</blockquote><p>${next}</p>${p.audience === 'compiler' ? html`<p><a href="${p.reportUrl}">Xem báo cáo</a></p>` : ''}`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

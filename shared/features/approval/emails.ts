import { draftName } from '../../format/period-name';
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
  /** No longer printed (a presigned URL is hundreds of characters): the mail links the short route under the decision link. */
  draftUrl?: string;
  /** Set when the draft was compiled with submissions missing: printed as a banner. */
  gap?: string;
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
  const draft = draftName(p.draftVersion);
  const subject = `${REASON_PREFIX[p.reason]} Báo cáo ${p.subject} — ${draft.toLowerCase()}`;
  const note = REASON_NOTE[p.reason];
  const draftLink = `${p.decisionUrl}/draft`;
  const gapNote = p.gap ? `LƯU Ý: dự thảo được tổng hợp khi số liệu còn thiếu. ${p.gap}` : '';
  const text = [
    `Kính gửi ${p.role} ${p.approverName},`,
    '',
    ...(gapNote ? [gapNote, ''] : []),
    `${note}Báo cáo "${p.subject}" (kỳ ${p.periodLabel}), ${draft.toLowerCase()}, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).`,
    `Hạn xử lý: ${p.deadline}.`,
    '',
    `Tải dự thảo: ${draftLink}`,
    `Xem dự thảo và cho ý kiến: ${p.decisionUrl}`,
    '',
    'Mở liên kết chỉ để xem; việc phê duyệt hoặc trả lại chỉ được ghi nhận khi đồng chí bấm nút xác nhận trên trang.',
  ].join('\n');
  const body = html`<p>Kính gửi ${p.role} ${p.approverName},</p>
${gapNote ? html`<p style="border-left:4px solid #c58a00;background:#fff5e0;padding:8px 12px"><b>Lưu ý: dự thảo được tổng hợp khi số liệu còn thiếu.</b> ${p.gap}</p>` : ''}
<p>${note}Báo cáo <b>${p.subject}</b> (kỳ ${p.periodLabel}), <b>${draft.toLowerCase()}</b>, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).</p>
<p>Hạn xử lý: ${p.deadline}.</p>
<p><a href="${draftLink}">Tải dự thảo (.docx)</a></p>
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
      ? 'Trên trang báo cáo, Văn phòng có thể mở lại việc nộp số liệu cho đơn vị liên quan, sau đó tổng hợp lại thành dự thảo mới hoặc dừng báo cáo.'
      : 'Số liệu của đơn vị được nêu trong ý kiến trên. Văn phòng sẽ gửi liên kết để đơn vị cập nhật số liệu.';
  const text = [
    `${p.role} ${p.by} đã trả lại dự thảo báo cáo "${p.subject}" với ý kiến:`,
    '',
    p.comment,
    '',
    next,
    ...(p.audience === 'compiler' ? ['', `Mở trang báo cáo: ${p.reportUrl}`] : []),
  ].join('\n');
  const body = html`<p>${p.role} ${p.by} đã trả lại dự thảo báo cáo <b>${p.subject}</b> với ý kiến:</p>
<blockquote>${p.comment}</blockquote><p>${next}</p>${p.audience === 'compiler' ? html`<p><a href="${p.reportUrl}">Mở trang báo cáo</a></p>` : ''}`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

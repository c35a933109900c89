import { vnDateTime } from '../../format/vietnam-time';
import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

const SIGNER_PREFIX = { request: '[Cần ký số]', reminder: '[Nhắc ký số]', escalation: '[Quá hạn – cần ký số]' } as const;
const SIGNER_NOTE = {
  request: '',
  reminder: 'Yêu cầu ký trước đã hết hạn mà chưa được xác nhận; hệ thống đã gửi yêu cầu mới. ',
  escalation: 'Yêu cầu ký đã hết hạn nhiều lần; đây là lần gửi cuối trước khi chuyển bộ phận tổng hợp xử lý. ',
} as const;

/** To the competent person: confirm the signature on their own device (the provider's app). */
export function signerRequestEmail(p: {
  to: string[];
  signerName: string;
  reason: keyof typeof SIGNER_PREFIX;
  documentNumber: string;
  subject: string;
  /** The local system only: the page standing in for the person's phone. */
  confirmUrl?: string;
}): MailMessage {
  const subject = `${SIGNER_PREFIX[p.reason]} Báo cáo ${p.subject}, ${p.documentNumber}`;
  const ask = `Báo cáo ${p.subject} (${p.documentNumber}) đã được phê duyệt đủ các bước và chờ đồng chí ký số. Vui lòng xác nhận yêu cầu ký trên thiết bị của đồng chí (ứng dụng ký số từ xa) trong khoảng 5 phút.`;
  const text = [
    `Kính gửi ${p.signerName},`,
    '',
    `${SIGNER_NOTE[p.reason]}${ask}`,
    ...(p.confirmUrl ? ['', `Hệ thống cục bộ (thay cho điện thoại): ${p.confirmUrl}`] : []),
  ].join('\n');
  const body = html`<p>Kính gửi ${p.signerName},</p>
<p>${SIGNER_NOTE[p.reason]}${ask}</p>
${p.confirmUrl ? html`<p>Hệ thống cục bộ (thay cho điện thoại): <a href="${p.confirmUrl}">xác nhận ký</a></p>` : ''}`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

const SEAL_PREFIX = { request: '[Cần ký số cơ quan]', reminder: '[Nhắc ký số cơ quan]', escalation: '[Quá hạn – ký số cơ quan]' } as const;

/** To the văn thư: a single-use link to apply the organization's signature and issue the document. */
export function sealRequestEmail(p: {
  to: string[];
  clerkName: string;
  reason: keyof typeof SEAL_PREFIX;
  documentNumber: string;
  subject: string;
  signerName: string;
  url: string;
  expiresAt: string;
}): MailMessage {
  const subject = `${SEAL_PREFIX[p.reason]} Báo cáo ${p.subject}, ${p.documentNumber}`;
  const deadline = vnDateTime(p.expiresAt);
  const lead = `Báo cáo ${p.subject} (${p.documentNumber}) đã được ${p.signerName} ký số và chờ văn thư ký số của cơ quan để phát hành.`;
  const text = [
    `Kính gửi ${p.clerkName},`,
    '',
    lead,
    `Kiểm tra và ký số tại: ${p.url}`,
    `Liên kết dùng một lần, hết hạn lúc ${deadline}.`,
  ].join('\n');
  const body = html`<p>Kính gửi ${p.clerkName},</p><p>${lead}</p>
<p><a href="${p.url}">Kiểm tra và ký số của cơ quan</a> (liên kết dùng một lần, hết hạn lúc ${deadline}).</p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

/** To the compiler, when the văn thư's wait escalates: no link (the organization's signature is the văn thư's act). */
export function sealOverdueEmail(p: {
  to: string[];
  subject: string;
  documentNumber: string;
  clerkName: string;
  deadline: string;
}): MailMessage {
  const subject = `[Quá hạn – ký số cơ quan] Báo cáo ${p.subject}, ${p.documentNumber}`;
  const text = `Văn thư (${p.clerkName}) chưa ký số của cơ quan cho Báo cáo ${p.subject} (${p.documentNumber}). Đề nghị đôn đốc trước ${vnDateTime(p.deadline)}; sau thời hạn này báo cáo dừng ở bước ký số.`;
  return { to: p.to, subject, text, html: mailLayout(html`<p>${text}</p>`) };
}

const STALL_REASON = {
  rejected: 'Người ký đã từ chối yêu cầu ký, hoặc chữ ký trả về không hợp lệ.',
  expired: 'Các yêu cầu ký đều hết hạn mà người ký chưa xác nhận.',
  outage: 'Dịch vụ ký số không phản hồi.',
} as const;

/** To the compiler: the signing stalled; a single-use link to "thử ký lại" or stop. */
export function signingStalledEmail(p: {
  to: string[];
  subject: string;
  documentNumber: string;
  reason: keyof typeof STALL_REASON;
  detail: string;
  url: string;
}): MailMessage {
  const subject = `[Ký số chưa xong] Báo cáo ${p.subject}, ${p.documentNumber}`;
  const lead = `Báo cáo ${p.subject} (${p.documentNumber}) chưa được ký số. ${STALL_REASON[p.reason]} Chi tiết: ${p.detail}`;
  const text = [lead, '', `Chọn "Thử ký lại" (giữ nguyên số văn bản) hoặc dừng báo cáo tại: ${p.url}`].join('\n');
  const body = html`<p>${lead}</p><p><a href="${p.url}">Thử ký lại hoặc dừng</a> (số văn bản được giữ nguyên khi ký lại).</p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

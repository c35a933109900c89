import { html } from '../../http/html';
import type { MailMessage } from '../../ports';
import type { InviteReason } from './ports';

const FOOTER =
  'Thư gửi tự động từ Hệ thống báo cáo định kỳ. Không trả lời thư này. Liên kết chỉ dành cho đơn vị được gửi; không chuyển tiếp ra ngoài.';

const LEAD: Record<InviteReason, string> = {
  open: 'Hệ thống báo cáo định kỳ mở kỳ nhận số liệu',
  remind: 'Nhắc nộp số liệu: đơn vị chưa hoàn thành việc nộp số liệu',
  reopen: 'Văn phòng Sở đã mở lại việc nộp số liệu cho đơn vị',
};

const SUBJECT: Record<InviteReason, string> = {
  open: 'Mời nộp số liệu',
  remind: 'Nhắc nộp số liệu',
  reopen: 'Mở lại nộp số liệu',
};

/** The invite link mail: who, which quarter, the deadline, the link and until when it works. */
export function inviteEmail(p: {
  to: string[];
  contactNames: string[];
  divisionName: string;
  agencyName: string;
  periodLabel: string;
  deadline: string;
  expiresAt: string;
  url: string;
  reason: InviteReason;
}): MailMessage {
  const subject = `[${SUBJECT[p.reason]}] ${p.divisionName} — báo cáo ${p.periodLabel}`;
  const greeting = `Kính gửi ${p.contactNames.join(', ')} (${p.divisionName}),`;
  const lead = `${LEAD[p.reason]} ${p.periodLabel} cho báo cáo của ${p.agencyName}.`;
  const deadline = p.reason === 'reopen' ? `Hạn nộp bổ sung: ${p.expiresAt}.` : `Hạn nộp: ${p.deadline}.`;
  const text = [
    greeting,
    '',
    lead,
    deadline,
    '',
    `Nộp số liệu (điền biểu mẫu hoặc tải lên tệp Excel, JSON): ${p.url}`,
    '',
    `Liên kết có hiệu lực đến ${p.expiresAt}.`,
    FOOTER,
  ].join('\n');
  const body = html`<div style="font-family:'Times New Roman',serif;font-size:15px;line-height:1.5">
<p>${greeting}</p><p>${lead}</p><p><b>${deadline}</b></p>
<p><a href="${p.url}">Mở biểu mẫu nộp số liệu</a></p>
<p>Liên kết có hiệu lực đến ${p.expiresAt}.</p>
<p style="color:#666;font-size:12px">${FOOTER}</p></div>`;
  return { to: p.to, subject, text, html: body.html };
}

/** The receipt of an accepted submission, to the division's contacts: the same facts as the page's receipt. */
export function receiptEmail(p: {
  to: string[];
  contactNames: string[];
  divisionName: string;
  agencyName: string;
  periodLabel: string;
  receipt: string;
  receivedAt: string;
  version: number;
  warnings: number;
}): MailMessage {
  const subject = `[Đã tiếp nhận] ${p.divisionName} — báo cáo ${p.periodLabel} — số tiếp nhận ${p.receipt}`;
  const greeting = `Kính gửi ${p.contactNames.join(', ')} (${p.divisionName}),`;
  const lead = `${p.agencyName} đã tiếp nhận số liệu báo cáo ${p.periodLabel} của đơn vị.`;
  const rows: Array<[string, string]> = [
    ['Số tiếp nhận', p.receipt],
    ['Thời gian tiếp nhận', p.receivedAt],
    ['Lần nộp thứ', String(p.version)],
  ];
  const warn = p.warnings
    ? `Số liệu có ${p.warnings} cảnh báo cần đơn vị xem lại; đơn vị có thể nộp lại bản sửa bằng liên kết đã nhận (bản nộp sau thay bản nộp trước).`
    : '';
  const text = [greeting, '', lead, '', ...rows.map(([k, v]) => `${k}: ${v}`), ...(warn ? ['', warn] : []), '', FOOTER].join('\n');
  const body = html`<div style="font-family:'Times New Roman',serif;font-size:15px;line-height:1.5">
<p>${greeting}</p><p>${lead}</p>
<table style="border-collapse:collapse">${rows.map(([k, v]) => html`<tr><th style="text-align:left;padding:2px 12px 2px 0">${k}</th><td>${v}</td></tr>`)}</table>
${warn ? html`<p>${warn}</p>` : ''}
<p style="color:#666;font-size:12px">${FOOTER}</p></div>`;
  return { to: p.to, subject, text, html: body.html };
}

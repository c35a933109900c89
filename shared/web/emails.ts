import type { MailMessage } from '../ports';
import { html } from './html';

const wrap = (inner: ReturnType<typeof html>) =>
  html`<div style="font-family:'Times New Roman',serif;font-size:15px;line-height:1.5">${inner}<p style="color:#666;font-size:12px">Thư gửi tự động từ Hệ thống báo cáo định kỳ. Không trả lời thư này.</p></div>`.html;

export function approvalRequestEmail(p: {
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
  const subject = `[Cần phê duyệt] Báo cáo ${p.subject} — dự thảo v${p.draftVersion}`;
  const text = [
    `Kính gửi ${p.role} ${p.approverName},`,
    '',
    `Báo cáo "${p.subject}" (kỳ ${p.periodLabel}), dự thảo v${p.draftVersion}, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).`,
    `Hạn xử lý: ${p.deadline}.`,
    '',
    `Xem dự thảo và cho ý kiến: ${p.decisionUrl}`,
    '',
    'Mở liên kết chỉ để xem; việc phê duyệt hoặc trả lại chỉ được ghi nhận khi đồng chí bấm nút xác nhận trên trang.',
  ].join('\n');
  const body = html`<p>Kính gửi ${p.role} ${p.approverName},</p>
<p>Báo cáo <b>${p.subject}</b> (kỳ ${p.periodLabel}), <b>dự thảo v${p.draftVersion}</b>, đang chờ ý kiến của đồng chí (bước ${p.stepNumber}/${p.stepCount}).</p>
<p>Hạn xử lý: ${p.deadline}.</p>
<p><a href="${p.decisionUrl}">Xem dự thảo và cho ý kiến</a></p>
<p>Mở liên kết chỉ để xem; việc phê duyệt hoặc trả lại chỉ được ghi nhận khi đồng chí bấm nút xác nhận trên trang.</p>`;
  return { to: p.to, subject, text, html: wrap(body) };
}

export function releaseEmail(p: {
  to: string[];
  subject: string;
  documentNumber: string;
  dateLine: string;
  agencyName: string;
  downloadUrl: string;
}): MailMessage {
  const subject = `[Ban hành] ${p.documentNumber} — Báo cáo ${p.subject}`;
  const text = [
    `${p.agencyName} gửi Báo cáo ${p.subject}, ${p.documentNumber}, ${p.dateLine}.`,
    '',
    `Tải báo cáo: ${p.downloadUrl}`,
  ].join('\n');
  const body = html`<p>${p.agencyName} gửi <b>Báo cáo ${p.subject}</b>, ${p.documentNumber}, ${p.dateLine}.</p>
<p><a href="${p.downloadUrl}">Tải báo cáo (.docx)</a></p>`;
  return { to: p.to, subject, text, html: wrap(body) };
}

export function returnedEmail(p: { to: string[]; subject: string; role: string; by: string; comment: string; reportUrl: string }): MailMessage {
  const subject = `[Trả lại] Báo cáo ${p.subject}`;
  const text = [
    `${p.role} ${p.by} đã trả lại dự thảo báo cáo "${p.subject}" với ý kiến:`,
    '',
    p.comment,
    '',
    `Xem báo cáo: ${p.reportUrl}`,
  ].join('\n');
  const body = html`<p>${p.role} ${p.by} đã trả lại dự thảo báo cáo <b>${p.subject}</b> với ý kiến:</p>
<blockquote>${p.comment}</blockquote><p><a href="${p.reportUrl}">Xem báo cáo</a></p>`;
  return { to: p.to, subject, text, html: wrap(body) };
}

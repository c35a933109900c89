import { vnDateTime } from '../../format/vietnam-time';
import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

export function releaseEmail(p: {
  to: string[];
  subject: string;
  documentNumber: string;
  dateLine: string;
  agencyName: string;
  downloadUrl: string;
  /** The link opens the signed PDF's page (signatures verified), with the .docx too when `withDocx`. */
  signed?: boolean;
  withDocx?: boolean;
}): MailMessage {
  const what = p.signed ? `văn bản điện tử đã ký số (PDF${p.withDocx ? ', kèm tệp .docx' : ''})` : 'báo cáo (.docx)';
  const subject = `[Ban hành] ${p.documentNumber} — Báo cáo ${p.subject}`;
  const text = [`${p.agencyName} gửi Báo cáo ${p.subject}, ${p.documentNumber}, ${p.dateLine}.`, '', `Tải ${what}: ${p.downloadUrl}`].join(
    '\n',
  );
  const body = html`<p>${p.agencyName} gửi <b>Báo cáo ${p.subject}</b>, ${p.documentNumber}, ${p.dateLine}.</p>
<p><a href="${p.downloadUrl}">Tải ${what}</a></p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

/** To the clerk of records (văn thư): a single-use link to enter the number and issue date of an approved report. */
export function clerkNumberEmail(p: {
  to: string[];
  clerkName: string;
  subject: string;
  suggested: string;
  url: string;
  expiresAt: string;
}): MailMessage {
  const subject = `[Cấp số] Báo cáo ${p.subject} đã được phê duyệt`;
  const deadline = vnDateTime(p.expiresAt);
  const text = [
    `Kính gửi ${p.clerkName},`,
    '',
    `Báo cáo ${p.subject} đã được phê duyệt đủ các bước và chờ cấp số để ban hành.`,
    `Số trống tiếp theo trong sổ văn bản đi: ${p.suggested}.`,
    `Nhập số và ngày ban hành tại: ${p.url}`,
    `Liên kết dùng một lần, hết hạn lúc ${deadline}.`,
  ].join('\n');
  const body = html`<p>Kính gửi ${p.clerkName},</p>
<p>Báo cáo <b>${p.subject}</b> đã được phê duyệt đủ các bước và chờ cấp số để ban hành.</p>
<p>Số trống tiếp theo trong sổ văn bản đi: <b>${p.suggested}</b>.</p>
<p><a href="${p.url}">Nhập số và ngày ban hành</a> (liên kết dùng một lần, hết hạn lúc ${deadline}).</p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

export function releaseEmail(p: {
  to: string[];
  subject: string;
  documentNumber: string;
  dateLine: string;
  agencyName: string;
  downloadUrl: string;
}): MailMessage {
  const subject = `[Ban hành] ${p.documentNumber} — Báo cáo ${p.subject}`;
  const text = [`${p.agencyName} gửi Báo cáo ${p.subject}, ${p.documentNumber}, ${p.dateLine}.`, '', `Tải báo cáo: ${p.downloadUrl}`].join(
    '\n',
  );
  const body = html`<p>${p.agencyName} gửi <b>Báo cáo ${p.subject}</b>, ${p.documentNumber}, ${p.dateLine}.</p>
<p><a href="${p.downloadUrl}">Tải báo cáo (.docx)</a></p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

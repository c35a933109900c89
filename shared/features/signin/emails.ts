import { html, mailLayout } from '../../http/html';
import type { MailMessage } from '../../ports';

export function signinEmail(p: { to: string[]; url: string; minutes: number }): MailMessage {
  const subject = '[Đăng nhập] Hệ thống báo cáo định kỳ';
  const text = [
    'Có yêu cầu đăng nhập Hệ thống báo cáo định kỳ bằng địa chỉ thư này.',
    '',
    `Mở liên kết và bấm "Đăng nhập" (liên kết dùng một lần, có hiệu lực ${p.minutes} phút): ${p.url}`,
    '',
    'Nếu đồng chí không yêu cầu, hãy bỏ qua thư này.',
  ].join('\n');
  const body = html`<p>Có yêu cầu đăng nhập Hệ thống báo cáo định kỳ bằng địa chỉ thư này.</p>
<p><a href="${p.url}">Mở trang đăng nhập</a> (liên kết dùng một lần, có hiệu lực ${p.minutes} phút).</p>
<p>Nếu đồng chí không yêu cầu, hãy bỏ qua thư này.</p>`;
  return { to: p.to, subject, text, html: mailLayout(body) };
}

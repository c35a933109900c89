/**
 * The local stand-in for the signer's phone (issue 16): the local signing provider in `confirm`
 * mode waits until the person confirms; here they do it in the browser, /_local/sign/<tx>. The
 * demo and the tests POST the same form. Served by the runtime, never by the api handler.
 */
import type { LocalTransaction } from '../../shared/adapters/signing/local-provider';

export interface LocalPhone {
  pending(): Promise<LocalTransaction[]>;
  confirm(transactionId: string): Promise<void>;
  reject(transactionId: string, reason?: string): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body { font-family: system-ui, sans-serif; max-width: 30rem; margin: 2rem auto; padding: 0 1rem; } button { font-size: 1.1rem; margin: 0.5rem 0.5rem 0 0; }</style>
</head>
<body><h1>${esc(title)}</h1>${body}
<p><small>Trang cục bộ thay cho ứng dụng ký số trên điện thoại của người ký (chứng thư thử nghiệm, không có giá trị pháp lý).</small></p></body>
</html>`;
}

export function phoneListPage(pending: LocalTransaction[]): string {
  const items = pending
    .map((t) => `<li><a href="/_local/sign/${encodeURIComponent(t.transactionId)}">${esc(t.description)}</a></li>`)
    .join('');
  return shell('Yêu cầu ký đang chờ', items ? `<ul>${items}</ul>` : '<p>Không có yêu cầu ký nào đang chờ.</p>');
}

export function phoneRequestPage(t: LocalTransaction | undefined): string {
  if (!t) return shell('Yêu cầu ký', '<p>Yêu cầu ký này không còn chờ xác nhận (đã trả lời hoặc đã hết hạn).</p>');
  return shell(
    'Xác nhận ký số',
    `<p>${esc(t.description)}</p><p>Hết hạn lúc ${esc(new Date(t.expiresAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }))}.</p>
<form method="post"><button name="action" value="confirm">Xác nhận ký</button><button name="action" value="reject">Từ chối</button></form>`,
  );
}

/** Answers GET/POST /_local/sign[/<tx>]; the body is the POSTed form. */
export async function phoneRoute(phone: LocalPhone, method: string, path: string, body: string): Promise<{ status: number; html: string }> {
  const tx = decodeURIComponent(path.slice('/_local/sign/'.length));
  if (path === '/_local/sign') return { status: 200, html: phoneListPage(await phone.pending()) };
  const live = (await phone.pending()).find((t) => t.transactionId === tx);
  if (method === 'GET') return { status: live ? 200 : 404, html: phoneRequestPage(live) };
  if (!live) return { status: 410, html: phoneRequestPage(undefined) };
  const action = new URLSearchParams(body).get('action');
  if (action === 'reject') await phone.reject(tx, 'Người ký từ chối trên thiết bị.');
  else await phone.confirm(tx);
  return { status: 200, html: shell('Đã trả lời', `<p>${action === 'reject' ? 'Đã từ chối yêu cầu ký.' : 'Đã xác nhận ký.'}</p>`) };
}

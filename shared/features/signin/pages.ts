import { html, page } from '../../http/html';

export function signinPage(message?: string, status = 200) {
  return page(
    'Đăng nhập',
    html`<h1>Đăng nhập (Văn phòng)</h1>
${message ? html`<p class="${status === 200 ? 'ok' : 'err'}" role="status">${message}</p>` : ''}
<form method="post" class="box"><!-- no action: posts back to where it is shown, /signin or /o/<org>/signin -->
<label for="email">Địa chỉ thư điện tử</label><input id="email" name="email" type="email" required autocomplete="email">
<p><button type="submit">Gửi liên kết đăng nhập</button></p>
</form>`,
    status,
  );
}

export function signinConfirmPage(secret: string) {
  return page(
    'Đăng nhập',
    html`<h1>Đăng nhập (Văn phòng)</h1>
<form method="post" action="/signin/${secret}" class="box"><p><button type="submit">Đăng nhập</button></p></form>`,
  );
}

const SIGNIN_PROBLEM: Record<string, string> = {
  unknown: 'Liên kết đăng nhập không hợp lệ.',
  used: 'Liên kết đăng nhập đã được sử dụng.',
  expired: 'Liên kết đăng nhập đã hết hạn.',
};

export function signinProblemPage(problem: string) {
  return page(
    'Không đăng nhập được',
    html`<h1>Không đăng nhập được</h1><p class="err">${SIGNIN_PROBLEM[problem] ?? problem}</p><p><a href="/signin">Yêu cầu liên kết mới</a></p>`,
    410,
  );
}

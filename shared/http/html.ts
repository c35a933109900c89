/** Minimal HTML helpers: every interpolated value goes through esc(). */
export function esc(value: unknown): string {
  return String(value ?? '')
    .normalize('NFC')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template: interpolations are escaped unless wrapped with raw(). */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Raw(out);
}

function render(v: unknown): string {
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return esc(v);
}

const STYLE = `
body{font-family:"Times New Roman",Georgia,serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#111}
header{border-bottom:2px solid #a00;margin-bottom:1rem}
header a{color:#a00;text-decoration:none;font-weight:bold}
h1{font-size:1.5rem}h2{font-size:1.2rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right}
.ok{color:#065f16}.err{color:#a00}.warn{color:#8a5a00}
.box{border:1px solid #ccc;padding:1rem;margin:1rem 0;border-radius:4px}
button,input[type=submit]{font-size:1rem;padding:.5rem 1rem;cursor:pointer}
textarea{width:100%;min-height:5rem;font:inherit}
label{display:block;margin:.5rem 0 .2rem}
@media (max-width:40rem){body{padding:.5rem}table{font-size:.85rem}}
`;

export function page(title: string, body: Raw, status = 200) {
  const doc = html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — Báo cáo định kỳ</title><style>${raw(STYLE)}</style></head>
<body><header><p><a href="/">Hệ thống báo cáo định kỳ</a></p></header>
<main>${body}</main></body></html>`;
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
    body: doc.html,
  };
}

/** The frame of every email's HTML part: the body, then the automatic-mail notice. */
export function mailLayout(inner: Raw, footer = 'Thư gửi tự động từ Hệ thống báo cáo định kỳ. Không trả lời thư này.'): string {
  return html`<div style="font-family:'Times New Roman',serif;font-size:15px;line-height:1.5">${inner}<p style="color:#666;font-size:12px">${footer}</p></div>`
    .html;
}

import { organization as defaultOrganization } from '../config';
import { LIVE_JS } from './live-script';
import { APP_CSS } from './style';

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

/** Who the page shell names: the organization (header band) and, on the compiler's pages, the user. */
export interface Shell {
  /** Parent body and agency as printed in the header; default: the deployment's organization. */
  organization?: { parentBody: string; agency: string };
  /** The signed-in compiler ('local' on the local system): shows navigation and sign-out. */
  user?: string;
  /** Breadcrumbs after "Trang chủ": [label, href] (the last one, the current page, without href). */
  crumbs?: Array<[string, string?]>;
  /** Which navigation entry is current. */
  current?: 'home' | 'periods' | 'reports' | 'inbox';
}

function shellHeader(s: Shell) {
  const org = s.organization ?? defaultOrganization;
  const local = s.user === 'local';
  const who = s.user
    ? local
      ? html`<div class="who"><span>Văn phòng (máy cục bộ)</span></div>`
      : html`<div class="who"><span>Đăng nhập: <b>${s.user}</b></span><form method="post" action="/signout"><button type="submit" class="btn">Đăng xuất</button></form></div>`
    : '';
  const item = (key: Shell['current'], href: string, label: string) =>
    html`<li><a href="${href}"${raw(s.current === key ? ' aria-current="page"' : '')}>${label}</a></li>`;
  const nav = s.user
    ? html`<nav class="site-nav" aria-label="Điều hướng chính"><ul>${item('home', '/', 'Trang chủ')}${item('periods', '/#ky-bao-cao', 'Kỳ báo cáo')}${item('reports', '/#bao-cao', 'Báo cáo')}${local ? item('inbox', '/_local/inbox', 'Hộp thư') : ''}</ul></nav>`
    : '';
  const crumbs = s.crumbs?.length
    ? html`<nav class="crumbs" aria-label="Vị trí"><ol><li><a href="/">Trang chủ</a></li>${s.crumbs.map(([label, href]) =>
        href ? html`<li><a href="${href}">${label}</a></li>` : html`<li aria-current="page">${label}</li>`,
      )}</ol></nav>`
    : '';
  return {
    header: html`<a class="skip" href="#noi-dung">Bỏ qua, tới nội dung</a>
<header class="site-header"><div class="inner"><a class="org" href="/"><span class="parent">${org.parentBody}</span><span class="agency">${org.agency}</span><span class="app">Hệ thống báo cáo định kỳ</span></a>${who}</div></header>${nav}`,
    crumbs,
  };
}

export function page(title: string, body: Raw, status = 200, shell: Shell = {}) {
  const { header, crumbs } = shellHeader(shell);
  const doc = html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — Hệ thống báo cáo định kỳ</title><link rel="stylesheet" href="/assets/app.css"></head>
<body>${header}
<main id="noi-dung">${crumbs}${body}</main>
<footer class="site-footer"><p>${(shell.organization ?? defaultOrganization).agency} — Hệ thống báo cáo định kỳ</p></footer></body></html>`;
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

/** The page shell's own assets (GET /assets/app.css, /assets/live.js). */
export function shellAsset(name: 'app.css' | 'live.js') {
  return {
    statusCode: 200,
    headers: {
      'content-type': name === 'app.css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
    body: name === 'app.css' ? APP_CSS : LIVE_JS,
  };
}

/** The frame of every email's HTML part: the body, then the automatic-mail notice. */
export function mailLayout(inner: Raw, footer = 'Thư gửi tự động từ Hệ thống báo cáo định kỳ. Không trả lời thư này.'): string {
  return html`<div style="font-family:'Times New Roman',serif;font-size:15px;line-height:1.5">${inner}<p style="color:#666;font-size:12px">${footer}</p></div>`
    .html;
}

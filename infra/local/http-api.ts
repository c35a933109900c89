import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { html, page } from '../../shared/http/html';
import { crossSiteRefusal } from '../../shared/http/request-guard';
import { LOCAL_OPERATOR } from '../../shared/http/router';
import { LOCAL_ACCOUNT } from './aws-identity';
import type { Inbox, Message } from './mail-catcher';
import { operatorCookie, presentedToken, sameToken } from './operator';
import { type LocalPhone, phoneRoute } from './phone';
import { closeServer, LOOPBACK, listen, urlOf } from './ports';
import type { SampleLoader } from './sample-year';
import { type ExecutionRecord, type LambdaHandler, lambdaContext } from './sfn';

/** API Gateway HTTP API payload format 2.0 (the fields our handler may read). */
export interface HttpApiEventV2 {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: '$default';
    stage: '$default';
    time: string;
    timeEpoch: number;
    authorizer?: { lambda?: { operator?: string } };
  };
  body?: string;
  isBase64Encoded: boolean;
}

export interface HttpApiResultV2 {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** API Gateway's payload limit: the default when no smaller limit is given. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const TOO_LARGE_MESSAGE = (limit: number) =>
  `Nội dung gửi lên quá lớn (tối đa ${Math.round(limit / 1024)} KB); tệp báo cáo hãy gửi qua nút tải tệp lên.`;
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript|[\w.+-]+\+json|[\w.+-]+\+xml))/i;

function clfTime(d: Date): string {
  // API Gateway's requestContext.time: 26/Nov/2026:15:42:09 +0000
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Turn one node:http request into the v2 event API Gateway would send to the Lambda. */
export function buildHttpApiEvent(
  req: { method?: string; url?: string; headers: IncomingHttpHeaders; socket?: { remoteAddress?: string } },
  body: Buffer,
  now = new Date(),
): HttpApiEventV2 {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQueryString = q === -1 ? '' : rawUrl.slice(q + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.join(',') : value;
    // v2 moves the Cookie header into `cookies`.
    if (key === 'cookie') cookies = joined.split(/;\s*/).filter(Boolean);
    else headers[key] = joined;
  }

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      // Repeated keys are comma-joined, like API Gateway.
      queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
    }
  }

  const sourceIp = (req.socket?.remoteAddress ?? LOOPBACK).replace(/^::ffff:/, '');
  const host = headers.host ?? LOOPBACK;
  const contentType = headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0],
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** Write a v2 handler result back the way API Gateway does (bare values become 200 JSON). */
export function writeHttpApiResult(res: ServerResponse, result: unknown): void {
  const structured = result !== null && typeof result === 'object' && 'statusCode' in (result as object);
  const r: HttpApiResultV2 = structured
    ? (result as HttpApiResultV2)
    : {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: result === undefined ? '' : typeof result === 'string' ? result : JSON.stringify(result),
      };
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  const body = r.body === undefined ? Buffer.alloc(0) : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body, 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(body);
}

// ----- /_local/ pages (answered by the runtime, never the api handler) -----

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function linkify(text: string): string {
  return esc(text).replace(/https?:\/\/[^\s<>"']+/g, (u) => `<a href="${u}" target="_blank" rel="noopener">${u}</a>`);
}

export function renderInboxPage(messages: Message[]): string {
  const items = [...messages]
    .reverse()
    .map((m) => {
      const when = new Date(m.receivedAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
      const html = m.html
        ? `<details><summary>Xem bản HTML</summary><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${esc(m.html)}" title="${esc(m.subject)}"></iframe></details>`
        : '';
      return `<article id="m-${esc(m.id)}">
  <h2>${esc(m.subject || '(không có tiêu đề)')}</h2>
  <p class="meta">Gửi đến: ${esc(m.to.join(', '))} · Từ: ${esc(m.from)} · Lúc: ${esc(when)}</p>
  <pre>${linkify(m.text)}</pre>
  ${html}
</article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hộp thư cục bộ</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
article { border: 1px solid #ccc; border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.1rem; margin: 0.5rem 0; }
.meta { color: #555; font-size: 0.9rem; }
pre { white-space: pre-wrap; font-family: inherit; }
iframe { width: 100%; height: 28rem; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>Hộp thư cục bộ</h1>
<p>Thư do hệ thống gửi trong chế độ chạy trên máy này (không gửi ra ngoài). Mới nhất ở trên. Tổng số: ${messages.length} thư.</p>
${items || '<p>Chưa có thư nào.</p>'}
</body>
</html>`;
}

export interface HttpApiOptions {
  /** 0 or undefined = a free port. */
  port?: number;
  host?: string;
  /** The `api` Lambda handler, resolved lazily on the first request. */
  resolveHandler: () => Promise<LambdaHandler> | LambdaHandler;
  inbox?: Inbox;
  executions?: () => ExecutionRecord[];
  log?: (line: string) => void;
  /** Bytes of request body read at most (the api function's own limit); API Gateway's 10 MB by default. */
  maxBodyBytes?: number;
  /** The stand-in for the signer's phone (/_local/sign), resolved once the environment is ready. */
  phone?: () => Promise<LocalPhone>;
  /**
   * The per-start operator token (operator.ts): /_local/ pages need it, and a request presenting
   * it reaches the handler marked as the operator's (requestContext.authorizer). Undefined: no
   * operator at all (a bare HTTP API in tests), /_local/ pages open.
   */
  operatorToken?: string;
  /** First run: loads the sample year (POST /_local/sample, progress at GET /_local/sample). */
  sample?: SampleLoader;
}

export interface LocalHttpApi {
  url: string;
  port: number;
  stop(): Promise<void>;
}

class TooLarge extends Error {}

/**
 * Beyond this a refused body is no longer drained but the connection is cut (a flood, not a
 * mistake): draining up to it lets the client read the 413 instead of a connection reset.
 */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The request body, keeping at most `limit` bytes: past it the rest is read and thrown away (so
 * memory stays bounded and the client still gets an answer) and the promise rejects with TooLarge.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    let tooLarge = declared > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > DRAIN_LIMIT_BYTES) {
        req.destroy();
        return;
      }
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => (tooLarge ? reject(new TooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new TooLarge());
    });
  });
}

function sendText(res: ServerResponse, status: number, type: string, body: string) {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'content-type': type, 'content-length': String(buf.length), 'cache-control': 'no-store' });
  res.end(buf);
}

const LOCAL_PAGE_REFUSED =
  'Trang cục bộ này cần mã vận hành: mở liên kết đăng nhập in ra khi khởi động (npm start), hoặc gửi tiêu đề Authorization: Bearer <mã> (tệp .baocao/operator-token).';

function localPage(title: string, body: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(body)}</p></body></html>`;
}

function localRoute(
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  operator: boolean,
  opts: HttpApiOptions,
  res: ServerResponse,
): boolean {
  if (!path.startsWith('/_local/')) return false;
  if (path === '/_local/sample' && opts.sample) {
    // Loading the sample year is an operator's act, like every other /_local/ page.
    if (!operator) sendText(res, 403, 'text/html; charset=utf-8', localPage('Không có quyền', LOCAL_PAGE_REFUSED));
    else sampleRoute(req.method ?? 'GET', opts.sample, req, res);
    return true;
  }
  if (req.method !== 'GET') {
    sendText(res, 405, 'text/plain; charset=utf-8', 'Chỉ hỗ trợ GET cho trang cục bộ.');
    return true;
  }
  if (path === '/_local/signin' && opts.operatorToken !== undefined) {
    if (!sameToken(query.get('token') ?? undefined, opts.operatorToken)) {
      sendText(
        res,
        403,
        'text/html; charset=utf-8',
        localPage(
          'Không đăng nhập được',
          'Mã vận hành không đúng hoặc đã cũ (mỗi lần khởi động có mã mới); hãy dùng liên kết in ra lần khởi động này.',
        ),
      );
      return true;
    }
    res.writeHead(303, {
      location: '/',
      'set-cookie': operatorCookie(opts.operatorToken),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': '0',
    });
    res.end();
    return true;
  }
  const json = path.endsWith('.json');
  if (!operator) {
    if (json) sendText(res, 403, 'application/json; charset=utf-8', JSON.stringify({ message: LOCAL_PAGE_REFUSED }));
    else sendText(res, 403, 'text/html; charset=utf-8', localPage('Không có quyền', LOCAL_PAGE_REFUSED));
    return true;
  }
  const messages = opts.inbox?.list() ?? [];
  if (path === '/_local/inbox') sendText(res, 200, 'text/html; charset=utf-8', renderInboxPage(messages));
  else if (path === '/_local/inbox.json') sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify([...messages].reverse()));
  else if (path === '/_local/executions.json')
    sendText(res, 200, 'application/json; charset=utf-8', JSON.stringify(opts.executions?.() ?? []));
  else sendText(res, 404, 'text/plain; charset=utf-8', 'Không tìm thấy trang cục bộ này.');
  return true;
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
}

/**
 * POST starts loading the sample year (same-origin only: a page elsewhere must not load data into
 * a developer's system) and sends the browser to GET, which shows the progress (refreshing itself
 * while loading, no script needed) and, once done, the report being approved.
 */
function sampleRoute(method: string, loader: SampleLoader, req: IncomingMessage, res: ServerResponse) {
  if (method === 'POST') {
    // The product's own guard, as for an operator page: Fetch Metadata or Origin must say same-origin.
    const refused = crossSiteRefusal({ method, headers: flatHeaders(req.headers), isApi: false, surface: 'operator' });
    if (refused) {
      sendText(res, refused.status, 'text/plain; charset=utf-8', refused.message);
      return;
    }
    void loader.start();
    res.writeHead(303, { location: '/_local/sample', 'cache-control': 'no-store' });
    res.end();
    return;
  }
  if (method !== 'GET') return sendText(res, 405, 'text/plain; charset=utf-8', 'Chỉ hỗ trợ GET và POST.');
  const s = loader.status();
  const body = html`<h1>Dữ liệu mẫu năm 2021</h1>
${s.state === 'idle' ? html`<p>Chưa nạp. <a href="/">Về trang chủ</a> để nạp dữ liệu mẫu.</p>` : ''}
${s.state === 'loading' ? html`<p class="alert" role="status">Đang nạp dữ liệu mẫu qua đúng đường nộp số liệu của các đơn vị; trang tự cập nhật…</p>` : ''}
${s.state === 'done' && s.reportId ? html`<div class="alert alert-ok" role="status"><p>Đã nạp xong số liệu của các đơn vị và bắt đầu tổng hợp báo cáo năm 2021.</p><p class="actions"><a class="btn" href="/reports/${encodeURIComponent(s.reportId)}">Xem báo cáo và tiến độ phê duyệt</a><a class="btn btn-secondary" href="/periods/2021">Xem tình hình nộp số liệu</a><a class="btn btn-secondary" href="/_local/inbox">Hộp thư cục bộ</a></p></div>` : ''}
${s.state === 'failed' ? html`<p class="alert alert-err" role="alert">Nạp dữ liệu mẫu không thành công: ${s.error ?? ''}</p>` : ''}
${s.lines.length ? html`<ol>${s.lines.map((l) => html`<li>${l}</li>`)}</ol>` : ''}`;
  const out = page('Dữ liệu mẫu', body, 200, { user: 'local', crumbs: [['Dữ liệu mẫu']] });
  const doc = s.state === 'loading' ? out.body.replace('<head>', '<head><meta http-equiv="refresh" content="2">') : out.body;
  sendText(res, 200, 'text/html; charset=utf-8', doc);
}

export async function startHttpApi(opts: HttpApiOptions): Promise<LocalHttpApi> {
  let handlerPromise: Promise<LambdaHandler> | undefined;
  const server = createServer(async (req, res) => {
    try {
      const [path, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s);
      const operator = opts.operatorToken === undefined || sameToken(presentedToken(req), opts.operatorToken);
      // The signer's "phone": the list of pending requests is the operator's; one request's page is
      // reached by its unguessable transaction id (the link in the signer's mail), like a secret link.
      if (opts.phone && (path === '/_local/sign' || path.startsWith('/_local/sign/'))) {
        if (path === '/_local/sign' && !operator) {
          return sendText(res, 403, 'text/html; charset=utf-8', localPage('Không có quyền', LOCAL_PAGE_REFUSED));
        }
        const form = req.method === 'POST' ? (await readBody(req, 64 * 1024)).toString('utf8') : '';
        const answer = await phoneRoute(await opts.phone(), req.method ?? 'GET', path, form);
        return sendText(res, answer.status, 'text/html; charset=utf-8', answer.html);
      }
      if (localRoute(req, path, new URLSearchParams(rawQuery), operator, opts, res)) return;
      const body = await readBody(req, opts.maxBodyBytes ?? MAX_BODY_BYTES);
      const event = buildHttpApiEvent(req, body);
      // Like an authorizer's context: set here only, whatever the request's own headers say.
      if (opts.operatorToken !== undefined && operator) event.requestContext.authorizer = { lambda: { operator: LOCAL_OPERATOR } };
      handlerPromise ??= Promise.resolve(opts.resolveHandler());
      handlerPromise.catch(() => (handlerPromise = undefined));
      const handler = await handlerPromise;
      const result = await handler(event, lambdaContext('api', 30_000));
      writeHttpApiResult(res, result);
    } catch (err) {
      if (err instanceof TooLarge) {
        if (res.headersSent || res.destroyed) return;
        const message = TOO_LARGE_MESSAGE(opts.maxBodyBytes ?? MAX_BODY_BYTES);
        return sendText(res, 413, 'application/json; charset=utf-8', JSON.stringify({ message }));
      }
      opts.log?.(`HTTP API: ${req.method} ${req.url} lỗi: ${(err as Error)?.stack ?? err}`);
      if (!res.headersSent)
        sendText(res, 500, 'application/json; charset=utf-8', JSON.stringify({ message: 'Lỗi hệ thống; vui lòng thử lại sau.' }));
      else res.end();
    }
  });
  const port = await listen(server, opts.port ?? 0, opts.host ?? LOOPBACK);
  return { url: urlOf(port, opts.host ?? LOOPBACK), port, stop: () => closeServer(server) };
}

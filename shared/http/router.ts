import type { Organization } from '../config/schema';
import { AppError, ValidationError } from '../errors';
import { cleanUserText } from '../format/clean-text';
import { duplicateKeyMessage, firstDuplicateKey } from '../format/json-duplicate-keys';
import { log } from '../log';
import { html, page } from './html';

/** API Gateway HTTP API payload v2 (only what we read). */
/** The local system's operator as its HTTP API marks it (requestContext.authorizer.lambda.operator) and as pages name the user. */
export const LOCAL_OPERATOR = 'local';

export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    http: { method: string; sourceIp?: string };
    /**
     * What an authorizer in front of the function established. Only the local system sets one: its
     * HTTP API (infra/local/http-api.ts) marks a request carrying the per-start operator token.
     */
    authorizer?: { lambda?: { operator?: string } };
  };
}

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export interface Request {
  method: string;
  path: string;
  /** Values of the route's ":name" segments. */
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** Reached under /api (JSON for the CLI; IAM-authorized on AWS) rather than as a page. */
  isApi: boolean;
  sourceIp?: string;
  /** The signed-in compiler on an operator page (email), 'local' on the local system. */
  user?: string;
  cookies?: string[];
  text(): string;
  /** The body as a JSON object ({} when empty); throws a ValidationError when malformed or not an object. */
  json(): Record<string, unknown>;
  form(): URLSearchParams;
}

/**
 * public: reached by anyone holding a link (forms, decision pages, downloads) — the link carries its own secret.
 * operator: the compiler's surfaces — JSON under /api (IAM on AWS) and HTML pages for a signed-in
 * compiler (email link + session cookie; on the local system also the per-start operator token).
 */
export interface Route<D = unknown> {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  surface: 'public' | 'operator';
  /** Answers JSON even outside /api: an endpoint a page's script calls (errors then come as JSON too). */
  answersJson?: boolean;
  /** A public POST a browser must prove it sent from our own pages (Origin or Sec-Fetch-Site), e.g. the sign-in. */
  sameOriginOnly?: boolean;
  /** Typed on the ports the route's slice needs; functions/api.ts passes the wired dependencies. */
  handle(deps: D, req: Request): Promise<HttpResult> | HttpResult;
}

export function json(statusCode: number, data: unknown): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(data),
  };
}

export function redirect(location: string): HttpResult {
  return { statusCode: 302, headers: { location, 'cache-control': 'no-store' } };
}

export function matchRoute<D>(routes: Route<D>[], method: string, segments: string[]) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = segments[i];
        return true;
      }
      return p === segments[i];
    });
    if (ok) return { route, params };
  }
  return undefined;
}

export function toRequest(ev: HttpEvent, params: Record<string, string>, isApi: boolean, path: string): Request {
  const text = () => (ev.body ? (ev.isBase64Encoded ? Buffer.from(ev.body, 'base64').toString('utf8') : ev.body) : '');
  return {
    method: ev.requestContext.http.method.toUpperCase(),
    path,
    params,
    query: ev.queryStringParameters ?? {},
    headers: ev.headers ?? {},
    isApi,
    sourceIp: ev.requestContext.http.sourceIp,
    cookies: ev.cookies,
    text,
    json: () => parseJsonBody(text()),
    form: () => new URLSearchParams(text()),
  };
}

/**
 * A JSON request body as an object (an empty body is {}). Malformed JSON, or JSON that is not an
 * object, is refused with a Vietnamese message naming the problem (answered 400 by errorResponse).
 */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const where = err instanceof SyntaxError ? / at position (\d+)/.exec(err.message)?.[1] : undefined;
    throw new ValidationError(
      `Nội dung gửi lên không phải JSON hợp lệ${where ? ` (lỗi ở ký tự thứ ${Number(where) + 1})` : ''}; hãy kiểm tra dấu ngoặc, dấu phẩy và dấu nháy kép.`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError('Nội dung JSON gửi lên phải là một đối tượng {…}, không phải mảng, chuỗi hay số.');
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw new ValidationError(duplicateKeyMessage(duplicate, 'Nội dung JSON gửi lên'));
  return value as Record<string, unknown>;
}

/**
 * Who an operator action is audited under: the signed-in compiler on a page; otherwise the
 * address the caller named (the CLI over IAM may), else the organization's compiler.
 */
export function actingUser(deps: { organization: Organization }, req: Request, named: unknown): string {
  if (req.user && req.user !== 'local') return req.user;
  if (typeof named !== 'string' || named === '') return deps.organization.compiler.email;
  const actor = cleanUserText(named, { field: 'tên người thực hiện' });
  if (!actor.ok) throw new ValidationError(actor.message);
  return actor.text;
}

/** A page saying what could not be done (Vietnamese message), with the status to answer. */
export function problemPage(message: string, status: number, title = 'Không thực hiện được'): HttpResult {
  return page(
    title,
    html`<h1>${title}</h1><p class="alert alert-err" role="alert">${message}</p><p><a href="/">Về trang chủ</a></p>`,
    status,
  );
}

const FAULT_MESSAGE = 'Lỗi hệ thống; vui lòng thử lại sau.';

/**
 * The one place errors become HTTP answers: an AppError answers its status and Vietnamese
 * message (JSON, or a problem page); anything else is a fault, logged and answered 500.
 */
export function errorResponse(err: unknown, asJson: boolean, where: Record<string, unknown> = {}): HttpResult {
  if (err instanceof AppError) return asJson ? json(err.status, { message: err.message }) : problemPage(err.message, err.status, err.title);
  log.error('api error', { ...where, error: err instanceof Error ? err.message : String(err) });
  return asJson ? json(500, { message: FAULT_MESSAGE }) : problemPage(FAULT_MESSAGE, 500);
}

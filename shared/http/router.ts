import type { AwsDeps } from '../adapters/wiring';

/** API Gateway HTTP API payload v2 (only what we read). */
export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string; sourceIp?: string } };
}

export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export type ApiDeps = Pick<
  AwsDeps,
  'repo' | 'intake' | 'intakeOptions' | 'signin' | 'blobs' | 'mailer' | 'workflow' | 'template' | 'organization' | 'now'
> & {
  baseUrl: string;
  /** The embedded local system: compiler pages are served without sign-in (loopback only). */
  local: boolean;
};

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
  json(): unknown;
  form(): URLSearchParams;
}

/**
 * public: reached by anyone holding a link (forms, decision pages, downloads) — the link carries its own secret.
 * operator: the compiler's surfaces — JSON under /api (IAM on AWS) and HTML pages for a signed-in
 * compiler (email link + session cookie; on the local system without sign-in).
 */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  surface: 'public' | 'operator';
  handle(deps: ApiDeps, req: Request): Promise<HttpResult> | HttpResult;
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

export function matchRoute(routes: Route[], method: string, segments: string[]) {
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
    json: () => {
      try {
        return JSON.parse(text() || '{}');
      } catch {
        return undefined;
      }
    },
    form: () => new URLSearchParams(text()),
  };
}

/**
 * Who an operator action is audited under: the signed-in compiler on a page; otherwise the
 * address the caller named (the CLI over IAM may), else the organization's compiler.
 */
export function actingUser(deps: Pick<ApiDeps, 'organization'>, req: Request, named: unknown): string {
  if (req.user && req.user !== 'local') return req.user;
  return typeof named === 'string' && named ? named : deps.organization.compiler.email;
}

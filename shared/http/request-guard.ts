/**
 * Checks every request gets before a route sees it: a path that decodes, and no state change
 * driven by another site. Browsers send Origin (and Sec-Fetch-Site) on every POST, so a page on
 * another site that posts a form to /periods/…/reopen, or text/plain "JSON" to /api/… (a
 * "simple" request that needs no CORS preflight), is recognised and refused.
 */

export interface GuardedRequest {
  method: string;
  headers: Record<string, string | undefined>;
  isApi: boolean;
  /** operator: the compiler's pages and /api; public: link-bearing pages (decision, invite, sign-in). */
  surface: 'public' | 'operator';
  /** Where the system says it lives (deps.baseUrl), besides the Host header. */
  baseUrl?: string;
}

export interface Refusal {
  status: 403 | 415;
  message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Path segments, percent-decoded; undefined when one is not valid percent-encoded UTF-8 (%C0%AE, %E0%A4%A). */
export function decodePathSegments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** No id, code or link secret is this long (secrets are 43 characters): a longer segment is refused before any lookup. */
export const MAX_PATH_SEGMENT_CHARS = 200;
export const LONG_PATH_MESSAGE = `Đường dẫn không hợp lệ: có một phần dài quá ${MAX_PATH_SEGMENT_CHARS} ký tự; hãy kiểm tra lại địa chỉ.`;

export const BAD_PATH_MESSAGE = 'Đường dẫn không hợp lệ (mã hóa phần trăm sai); hãy kiểm tra lại địa chỉ.';

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

function sameOrigin(origin: string, req: GuardedRequest): boolean {
  const host = originHost(origin);
  if (!host) return false; // "null" (sandboxed frame, privacy redirect) included
  const own = [req.headers.host?.toLowerCase(), req.baseUrl ? originHost(req.baseUrl) : undefined];
  return own.some((h) => h !== undefined && h !== '' && h === host);
}

const CROSS_SITE =
  'Yêu cầu đến từ trang web khác nên không được thực hiện; hãy thao tác trực tiếp trên trang của Hệ thống báo cáo định kỳ.';

/**
 * Why a state-changing request must be refused, or undefined. Pages: a foreign Origin or a
 * Sec-Fetch-Site other than same-origin is refused; an operator page or a sign-in POST must also
 * prove its origin (one of the two headers). /api: JSON only (415 otherwise), no foreign Origin.
 * Clients that are not browsers (CLI, mail links confirmed by scripts) send neither header and
 * cannot be steered by another site, so public pages accept them.
 */
export function crossSiteRefusal(req: GuardedRequest, opts: { requireOrigin?: boolean } = {}): Refusal | undefined {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return undefined;
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site']?.toLowerCase();
  // Fetch Metadata first: a page cannot forge it, and with our "Referrer-Policy: no-referrer"
  // the browser sends "Origin: null" on our own form posts.
  if (site !== undefined) {
    if (site !== 'same-origin') return { status: 403, message: CROSS_SITE };
  } else if (origin !== undefined && !sameOrigin(origin, req)) return { status: 403, message: CROSS_SITE };
  if (req.isApi) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return {
        status: 415,
        message: `Yêu cầu tới /api phải gửi dữ liệu JSON (content-type: application/json); nhận được "${type || 'không có'}".`,
      };
    }
    return undefined;
  }
  const mustProve = opts.requireOrigin || req.surface === 'operator';
  if (mustProve && origin === undefined && site !== 'same-origin') return { status: 403, message: CROSS_SITE };
  return undefined;
}

/**
 * The largest request body the API reads. Every form and JSON body it takes is small (a decision
 * comment is capped at 4 000 characters; files go straight to S3 by presigned POST), so anything
 * bigger is refused before it is decoded or parsed. The local HTTP API stops reading at it too.
 */
export const MAX_API_BODY_BYTES = 256 * 1024;

export const BODY_TOO_LARGE_MESSAGE = `Nội dung gửi lên quá lớn (tối đa ${MAX_API_BODY_BYTES / 1024} KB); tệp báo cáo hãy gửi qua nút tải tệp lên.`;

/** The size in bytes of an event body (base64 counted as what it decodes to), without decoding it. */
export function bodyBytes(body: string | undefined, isBase64Encoded?: boolean): number {
  if (!body) return 0;
  if (!isBase64Encoded) return Buffer.byteLength(body, 'utf8');
  const pad = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  return Math.floor((body.length * 3) / 4) - pad;
}

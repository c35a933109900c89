import '../shared/adapters/wiring-signing'; // renders or signs PDFs (FUNCTION_PROFILES.rendersPdf)
import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import '../shared/adapters/wiring-uploads'; // hands out upload forms (FUNCTION_PROFILES write: raw)
import type { LinkKind } from '../shared/adapters/aws/dynamo-table';
import { defaultOrgId, linkScope, organizationDeps, scopeOfReportId } from '../shared/adapters/wiring';
import { sha256 } from '../shared/crypto';
import { AppError, ForbiddenError, NotFoundError } from '../shared/errors';
import type { ApprovalDeps } from '../shared/features/approval/ports';
import { approvalRoutes } from '../shared/features/approval/routes';
import { intakeRoutes } from '../shared/features/intake/routes';
import type { IntakeDeps } from '../shared/features/intake/service';
import type { OrganizationsDeps } from '../shared/features/organizations/ports';
import { type OrganizationRouteDeps, organizationRoutes } from '../shared/features/organizations/routes';
import type { ReleaseDeps } from '../shared/features/release/ports';
import { releaseRoutes } from '../shared/features/release/routes';
import { unknownReportType } from '../shared/features/reports/compile';
import type { ReportsDeps } from '../shared/features/reports/ports';
import { reportRoutes } from '../shared/features/reports/routes';
import { signinRoutes } from '../shared/features/signin/routes';
import { readCookie, type SigninDeps, sessionOf } from '../shared/features/signin/signin';
import type { MaterialDeps } from '../shared/features/signing/material';
import { isSigningMaterialPath, MAX_SIGNING_MATERIAL_BODY_BYTES, signingMaterialRoutes } from '../shared/features/signing/material-routes';
import type { SigningDeps } from '../shared/features/signing/ports';
import { signingRoutes } from '../shared/features/signing/routes';
import { html, page } from '../shared/http/html';
import {
  BAD_PATH_MESSAGE,
  BODY_TOO_LARGE_MESSAGE,
  bodyBytes,
  crossSiteRefusal,
  decodePathSegments,
  LONG_PATH_MESSAGE,
  MAX_API_BODY_BYTES,
  MAX_PATH_SEGMENT_CHARS,
} from '../shared/http/request-guard';
import {
  errorResponse,
  type HttpEvent,
  type HttpResult,
  json,
  LOCAL_OPERATOR,
  matchRoute,
  parseJsonBody,
  problemPage,
  type Route,
  redirect,
  toRequest,
} from '../shared/http/router';
import { withLogContext } from '../shared/observability/log-context';

export type { HttpEvent, HttpResult } from '../shared/http/router';

const LOCAL_OPERATOR_REQUIRED =
  'Thao tác vận hành trên hệ thống chạy cục bộ cần mã vận hành: dùng lệnh baocao (đọc .baocao/operator-token) hoặc gửi tiêu đề Authorization: Bearer <mã> in ra khi khởi động.';

/** What the API's routes need together: the ports of every slice it serves, for one organization. */
export type ApiDeps = ReportsDeps & ApprovalDeps & ReleaseDeps & IntakeDeps & SigninDeps & OrganizationsDeps & SigningDeps & MaterialDeps;

/** Every route of one organization's surfaces (the authorization test walks all of them). */
export const ROUTES: Route<ApiDeps>[] = [
  ...reportRoutes,
  ...signinRoutes,
  ...intakeRoutes,
  ...approvalRoutes,
  ...releaseRoutes,
  ...signingRoutes,
  ...signingMaterialRoutes,
];
/** The organizations themselves: /api/orgs, /api/orgs/:org (and the read-only page /orgs/:org). */
export const ORG_ROUTES: Route<OrganizationRouteDeps>[] = organizationRoutes;

/** How the handler finds an organization's dependencies and the scope of a secret link. */
export interface ApiResolver {
  /** The dependencies of an organization and report type (default type when none is named). */
  forOrg(orgId: string, reportType?: string): Promise<ApiDeps>;
  defaultOrgId(): string;
  /** The organization a secret link (by its hash) belongs to. */
  linkScope(kind: LinkKind, hash: string): Promise<{ orgId?: string; reportType?: string } | undefined>;
}

/** One organization only (the handler tests): any other organization is unknown. */
export function singleOrganization(getDeps: () => ApiDeps): ApiResolver {
  return {
    async forOrg(orgId) {
      const deps = getDeps();
      if (orgId !== deps.organization.id) throw new NotFoundError(`Không có tổ chức "${orgId}".`);
      return deps;
    },
    defaultOrgId: () => getDeps().organization.id,
    linkScope: async () => undefined,
  };
}

const awsResolver: ApiResolver = {
  forOrg: (orgId, type) => organizationDeps(orgId, type) as Promise<ApiDeps>,
  defaultOrgId,
  linkScope,
};

const badPath = (isApi: boolean) => (isApi ? json(400, { message: BAD_PATH_MESSAGE }) : problemPage(BAD_PATH_MESSAGE, 400));

const notFound = (isApi: boolean) =>
  isApi ? json(404, { message: 'Không tìm thấy.' }) : page('Không tìm thấy', html`<h1>Không tìm thấy trang</h1>`, 404);

/** Public pages reached by a secret link: the link's own record says whose it is. */
const LINK_KINDS: Record<string, LinkKind> = {
  decision: 'APPROVAL',
  download: 'DOWNLOAD',
  nop: 'INVITE',
  signin: 'SIGNIN',
  register: 'CLERK',
  // The văn thư's seal link and the compiler's retry link are stored with the clerk's links.
  seal: 'CLERK',
  signing: 'CLERK',
};

/**
 * The HTTP API adapter: resolve the organization, authorize, route, call, and turn errors into
 * answers (errorResponse, the one place). Organization of a request:
 * - /api/orgs/:org/… (the CLI, IAM on AWS: the deployment's operators) — that organization;
 *   /api/… without it — the default organization;
 * - /o/:org/… pages — that organization, only for its own signed-in compiler (403 otherwise);
 *   other operator pages — the signed-in compiler's organization;
 * - secret links (/decision, /download, /nop, /signin/<secret>) — the organization the link records.
 */
export function makeHandler(source: (() => ApiDeps) | ApiResolver) {
  const resolver = typeof source === 'function' ? singleOrganization(source) : source;
  return async (ev: HttpEvent): Promise<HttpResult> => {
    const method = ev.requestContext.http.method.toUpperCase();
    const path = ev.rawPath.replace(/\/+$/, '') || '/';
    const segments = decodePathSegments(path);
    if (!segments) return badPath(path.startsWith('/api/'));
    const isApi = segments[0] === 'api';
    // Before any store sees it (a DynamoDB key has a size limit, a lookup of it would fail as a 500).
    if (segments.some((s) => s.length > MAX_PATH_SEGMENT_CHARS))
      return isApi ? json(400, { message: LONG_PATH_MESSAGE }) : problemPage(LONG_PATH_MESSAGE, 400);
    // Refused before anything decodes or parses it; no route takes a body this large.
    // Signature and seal images (≤ 1 MB, base64 in JSON) are the only larger bodies, under the operators' API.
    const bodyLimit = isApi && isSigningMaterialPath(segments) ? MAX_SIGNING_MATERIAL_BODY_BYTES : MAX_API_BODY_BYTES;
    if (bodyBytes(ev.body, ev.isBase64Encoded) > bodyLimit) {
      return errorResponse(new AppError(BODY_TOO_LARGE_MESSAGE, 413, 'Nội dung quá lớn'), isApi);
    }
    let rest = isApi ? segments.slice(1) : segments;
    try {
      const home = await resolver.forOrg(resolver.defaultOrgId());
      // On AWS /api is authorized by IAM before the request gets here. The local system has no IAM:
      // its HTTP API marks a request that carries the per-start operator token (loopback is not authorization).
      const localOperator = home.local && ev.requestContext.authorizer?.lambda?.operator === LOCAL_OPERATOR;
      if (isApi && home.local && !localOperator) return errorResponse(new AppError(LOCAL_OPERATOR_REQUIRED, 403, 'Không có quyền'), true);
      // Operator pages need the compiler's session, or locally the operator token.
      const session = isApi ? undefined : await sessionOf(home, readCookie(ev.cookies, ev.headers?.cookie));
      const user = isApi ? undefined : localOperator ? LOCAL_OPERATOR : session?.email;
      const userOrg = session?.orgId ?? resolver.defaultOrgId();

      let orgId = isApi ? resolver.defaultOrgId() : userOrg;
      const named = (isApi && rest[0] === 'orgs' && rest.length > 2) || (!isApi && rest[0] === 'o' && rest.length >= 2);
      if (named) {
        orgId = rest[1];
        rest = rest.slice(2);
        if (!isApi && user && user !== LOCAL_OPERATOR && orgId !== userOrg) {
          throw new ForbiddenError('Bạn không có quyền truy cập dữ liệu của tổ chức khác.');
        }
      }
      const withBase = <D extends { baseUrl: string }>(d: D): D => ({ ...d, baseUrl: d.baseUrl || `https://${ev.headers?.host ?? ''}` });
      const refusal = (route: { surface: 'public' | 'operator'; sameOriginOnly?: boolean; answersJson?: boolean }, baseUrl: string) => {
        const r = crossSiteRefusal(
          { method, headers: ev.headers ?? {}, isApi, surface: route.surface, baseUrl },
          { requireOrigin: route.sameOriginOnly },
        );
        return r ? errorResponse(new AppError(r.message, r.status), isApi || Boolean(route.answersJson)) : undefined;
      };

      // The organizations themselves.
      if (rest[0] === 'orgs' && rest.length <= 2) {
        const org = await resolver.forOrg(orgId);
        const found = matchRoute(
          ORG_ROUTES.filter(() => isApi || Boolean(user)),
          method,
          rest,
        );
        if (!found) return !isApi && !user ? redirect('/signin') : notFound(isApi);
        const refusedOrg = refusal(found.route, withBase(org).baseUrl);
        if (refusedOrg) return refusedOrg;
        return await found.route.handle(withBase(org), { ...toRequest(ev, found.params, isApi, path), user });
      }

      // A secret link decides the organization, whatever the session says.
      const kind = !isApi && rest.length >= 2 ? LINK_KINDS[rest[0]] : undefined;
      let reportType: string | undefined;
      if (kind) {
        const scope = await resolver.linkScope(kind, sha256(rest[1]));
        if (scope?.orgId) orgId = scope.orgId;
        reportType = scope?.reportType;
      }
      const candidates = ROUTES.filter((r) => (isApi ? r.surface === 'operator' : r.surface === 'public' || Boolean(user)));
      const found = matchRoute(candidates, method, rest);
      if (!found) {
        // An operator page asked without a session: offer the sign-in rather than a bare 404.
        const wanted =
          !isApi &&
          !user &&
          matchRoute(
            ROUTES.filter((r) => r.surface === 'operator'),
            method,
            rest,
          );
        return wanted ? redirect('/signin') : notFound(isApi);
      }
      // No state change driven by another site, before any route (or its organization) is touched.
      const refused = refusal(found.route, withBase(home).baseUrl);
      if (refused) return refused;
      // A report id names its report type (and organization: another one's is simply not found here).
      const byId = found.params.id ? scopeOfReportId(found.params.id) : undefined;
      if (byId?.orgId === orgId) reportType ??= byId.reportType;
      const queried = typeof ev.queryStringParameters?.type === 'string' ? ev.queryStringParameters.type : undefined;
      reportType ??= queried;
      // The compile request may name its report type in the body ({ periodId, reportType }).
      if (isApi && method === 'POST') reportType ??= reportTypeInBody(ev);
      const deps = withBase(await resolver.forOrg(orgId, reportType));
      // A page asked for a type the organization lacks says so, never shows another type's page.
      if (queried !== undefined && reportType === queried && 'template' in deps && deps.template.id !== queried) {
        throw unknownReportType(deps.organization, queried, 'tham số type');
      }
      return await found.route.handle(deps, { ...toRequest(ev, found.params, isApi, path), user });
    } catch (err) {
      return errorResponse(err, isApi || isJsonRoute(method, rest), { path, method });
    }
  };
}

/** `reportType` of a JSON body, if it has one; a malformed body is left for the route to refuse. */
function reportTypeInBody(ev: { body?: string; isBase64Encoded?: boolean }): string | undefined {
  if (!ev.body) return undefined;
  try {
    const text = ev.isBase64Encoded ? Buffer.from(ev.body, 'base64').toString('utf8') : ev.body;
    const value = parseJsonBody(text).reportType;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isJsonRoute(method: string, rest: string[]): boolean {
  return Boolean(matchRoute(ROUTES, method, rest)?.route.answersJson);
}

export const handler = withLogContext(makeHandler(awsResolver));

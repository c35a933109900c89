import { defaultDeps } from '../shared/adapters/wiring';
import { AppError } from '../shared/errors';
import type { ApprovalDeps } from '../shared/features/approval/ports';
import { approvalRoutes } from '../shared/features/approval/routes';
import { intakeRoutes } from '../shared/features/intake/routes';
import type { IntakeDeps } from '../shared/features/intake/service';
import type { ReleaseDeps } from '../shared/features/release/ports';
import { releaseRoutes } from '../shared/features/release/routes';
import type { ReportsDeps } from '../shared/features/reports/ports';
import { reportRoutes } from '../shared/features/reports/routes';
import { signinRoutes } from '../shared/features/signin/routes';
import { readCookie, type SigninDeps, sessionUser } from '../shared/features/signin/signin';
import { html, page } from '../shared/http/html';
import {
  BAD_PATH_MESSAGE,
  BODY_TOO_LARGE_MESSAGE,
  bodyBytes,
  crossSiteRefusal,
  decodePathSegments,
  MAX_API_BODY_BYTES,
} from '../shared/http/request-guard';
import {
  errorResponse,
  type HttpEvent,
  type HttpResult,
  json,
  matchRoute,
  problemPage,
  type Route,
  redirect,
  toRequest,
} from '../shared/http/router';

export type { HttpEvent, HttpResult } from '../shared/http/router';

/** What the API's routes need together: the ports of every slice it serves. */
export type ApiDeps = ReportsDeps & ApprovalDeps & ReleaseDeps & IntakeDeps & SigninDeps;

const ROUTES: Route<ApiDeps>[] = [...reportRoutes, ...signinRoutes, ...intakeRoutes, ...approvalRoutes, ...releaseRoutes];

const badPath = (isApi: boolean) => (isApi ? json(400, { message: BAD_PATH_MESSAGE }) : problemPage(BAD_PATH_MESSAGE, 400));

const notFound = (isApi: boolean) =>
  isApi ? json(404, { message: 'Không tìm thấy.' }) : page('Không tìm thấy', html`<h1>Không tìm thấy trang</h1>`, 404);

/** The HTTP API adapter: route, call, and turn errors into answers (errorResponse, the one place). */
export function makeHandler(getDeps: () => ApiDeps) {
  return async (ev: HttpEvent): Promise<HttpResult> => {
    const base = getDeps();
    // The API function cannot know its own URL at deploy time without a cycle: use the Host header.
    const deps = { ...base, baseUrl: base.baseUrl || `https://${ev.headers?.host ?? ''}` };
    const method = ev.requestContext.http.method.toUpperCase();
    const path = ev.rawPath.replace(/\/+$/, '') || '/';
    const segments = decodePathSegments(path);
    if (!segments) return badPath(path.startsWith('/api/'));
    const isApi = segments[0] === 'api';
    // Refused before anything decodes or parses it; no route takes a body this large.
    if (bodyBytes(ev.body, ev.isBase64Encoded) > MAX_API_BODY_BYTES) {
      return errorResponse(new AppError(BODY_TOO_LARGE_MESSAGE, 413, 'Nội dung quá lớn'), isApi);
    }
    // Operator pages need the compiler's session (the local system on loopback needs none);
    // /api is authorized by IAM before the request gets here.
    const user = isApi ? undefined : deps.local ? 'local' : await sessionUser(deps, readCookie(ev.cookies, ev.headers?.cookie));
    const found = matchRoute(
      ROUTES.filter((r) => (isApi ? r.surface === 'operator' : r.surface === 'public' || Boolean(user))),
      method,
      isApi ? segments.slice(1) : segments,
    );
    if (!found) {
      // An operator page asked without a session: offer the sign-in rather than a bare 404.
      const wanted =
        !isApi &&
        !user &&
        matchRoute(
          ROUTES.filter((r) => r.surface === 'operator'),
          method,
          segments,
        );
      return wanted ? redirect('/signin') : notFound(isApi);
    }
    const refused = crossSiteRefusal(
      { method, headers: ev.headers ?? {}, isApi, surface: found.route.surface, baseUrl: deps.baseUrl },
      { requireOrigin: found.route.sameOriginOnly },
    );
    if (refused) return errorResponse(new AppError(refused.message, refused.status), isApi || Boolean(found.route.answersJson));
    try {
      return await found.route.handle(deps, { ...toRequest(ev, found.params, isApi, path), user });
    } catch (err) {
      return errorResponse(err, isApi || Boolean(found.route.answersJson), { path, method });
    }
  };
}

export const handler = makeHandler(defaultDeps);

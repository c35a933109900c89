import { readCookie, sessionUser } from '../shared/features/signin/signin';
import { defaultDeps } from '../shared/adapters/wiring';
import { PeriodError } from '../shared/domain/periods';
import { approvalRoutes } from '../shared/features/approval/routes';
import { intakeRoutes } from '../shared/features/intake/routes';
import { reportRoutes } from '../shared/features/reports/routes';
import { type ApiDeps, type HttpEvent, type HttpResult, json, matchRoute, type Route, redirect, toRequest } from '../shared/http/router';
import { signinRoutes } from '../shared/features/signin/routes';
import { log } from '../shared/log';
import { html, page } from '../shared/http/html';
import { homePage, problemPage } from '../shared/features/reports/pages';

export type { HttpEvent, HttpResult } from '../shared/http/router';

const home: Route = {
  method: 'GET',
  path: '/',
  surface: 'public',
  handle: (deps, req) => homePage({ organization: deps.organization, periods: listPeriods(deps.now()), local: deps.local, user: req.user }),
};
const ROUTES: Route[] = [home, ...signinRoutes, ...intakeRoutes, ...approvalRoutes, ...reportRoutes];

const notFound = (isApi: boolean) =>
  isApi ? json(404, { message: 'Không tìm thấy.' }) : page('Không tìm thấy', html`<h1>Không tìm thấy trang</h1>`, 404);

/** The HTTP API adapter: route, call, map typed errors; pages and JSON come from shared/. */
export function makeHandler(getDeps: () => ApiDeps) {
  return async (ev: HttpEvent): Promise<HttpResult> => {
    const base = getDeps();
    // The API function cannot know its own URL at deploy time without a cycle: use the Host header.
    const deps = { ...base, baseUrl: base.baseUrl || `https://${ev.headers?.host ?? ''}` };
    const method = ev.requestContext.http.method.toUpperCase();
    const path = ev.rawPath.replace(/\/+$/, '') || '/';
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const isApi = segments[0] === 'api';
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
    try {
      return await found.route.handle(deps, { ...toRequest(ev, found.params, isApi, path), user });
    } catch (err) {
      if (err instanceof PeriodError) return isApi ? json(400, { message: err.message }) : problemPage(err.message, 400);
      log.error('api error', { path, method, error: (err as Error).message });
      return isApi
        ? json(500, { message: 'Lỗi hệ thống; vui lòng thử lại sau.' })
        : problemPage('Lỗi hệ thống; vui lòng thử lại sau.', 500);
    }
  };
}

function listPeriods(now: Date): string[] {
  const years = [...new Set([2021, now.getUTCFullYear()])];
  return years.flatMap((y) => [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`, `${y}-H1`, `${y}-9M`, `${y}`]);
}

export const handler = makeHandler(() => {
  const d = defaultDeps();
  return { ...d, local: d.env.BAOCAO_LOCAL === '1' };
});

import { defaultDeps } from '../shared/aws/deps';
import { PeriodError } from '../shared/domain/periods';
import { approvalRoutes } from '../shared/http/approval-routes';
import { intakeRoutes } from '../shared/http/intake-routes';
import { reportRoutes } from '../shared/http/report-routes';
import { type ApiDeps, type HttpEvent, type HttpResult, json, matchRoute, type Route, toRequest } from '../shared/http/router';
import { log } from '../shared/log';
import { html, page } from '../shared/web/html';
import { homePage, problemPage } from '../shared/web/pages';

export type { HttpEvent, HttpResult } from '../shared/http/router';

const home: Route = {
  method: 'GET',
  path: '/',
  surface: 'public',
  handle: (deps) => homePage({ organization: deps.organization, periods: listPeriods(deps.now()), local: deps.local }),
};
const ROUTES: Route[] = [home, ...intakeRoutes, ...approvalRoutes, ...reportRoutes];

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
    const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const isApi = segments[0] === 'api';
    const found = matchRoute(
      // Under /api only operator routes; elsewhere public routes always, operator pages only locally.
      ROUTES.filter((r) => (isApi ? r.surface === 'operator' : r.surface === 'public' || deps.local)),
      method,
      isApi ? segments.slice(1) : segments,
    );
    if (!found) return notFound(isApi);
    try {
      return await found.route.handle(deps, toRequest(ev, found.params, isApi, path));
    } catch (err) {
      if (err instanceof PeriodError) return isApi ? json(400, { message: err.message }) : problemPage(err.message, 400);
      log.error('api error', { path, method, error: (err as Error).message });
      return isApi ? json(500, { message: 'Lỗi hệ thống; vui lòng thử lại sau.' }) : problemPage('Lỗi hệ thống; vui lòng thử lại sau.', 500);
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

import { parsePeriod } from '../../domain/periods';
import { reportSubject } from '../../domain/report-subject';
import { NotFoundError } from '../../errors';
import { json, type Route, redirect } from '../../http/router';
import type { ReportRecord } from '../../ports';
import { offeredPeriods, reportAudit, reportFileKey, startCompile } from './compile';
import { reconcileReport } from './lifecycle';
import { auditCsv, homePage, periodPage, reportPage } from './pages';
import type { ReportsDeps } from './ports';

/** What leaves the operator API: never the revision task token. */
function publicReport({ revisionToken: _t, ...rest }: ReportRecord) {
  return rest;
}

async function requireReport(deps: ReportsDeps, reportId: string): Promise<ReportRecord> {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  return report;
}

/** The home page, periods and reports: JSON under /api, pages for the signed-in compiler. */
export const reportRoutes: Route<ReportsDeps>[] = [
  {
    method: 'GET',
    path: '/',
    surface: 'public',
    handle: async (deps, req) =>
      homePage({ organization: deps.organization, periods: await offeredPeriods(deps), local: deps.local, user: req.user }),
  },
  {
    method: 'GET',
    path: '/periods/:period',
    surface: 'operator',
    async handle(deps, req) {
      const period = parsePeriod(req.params.period);
      const [submissions, reports] = await Promise.all([deps.repo.currentSubmissions(period.quarters), deps.repo.listReports(period.id)]);
      if (req.isApi) return json(200, { period, submissions: submissions.map(({ submission: _s, ...meta }) => meta), reports });
      return periodPage({
        organization: deps.organization,
        periodId: period.id,
        periodLabel: period.label,
        quarters: period.quarters,
        submissions,
        reports,
      });
    },
  },
  {
    method: 'POST',
    path: '/periods/:period/compile',
    surface: 'operator',
    async handle(deps, req) {
      const body = (req.isApi ? (req.json() ?? {}) : Object.fromEntries(req.form())) as { supersede?: unknown };
      const started = await startCompile(deps, { periodId: req.params.period, supersede: body.supersede });
      return req.isApi ? json(201, started) : redirect(`/reports/${encodeURIComponent(started.reportId)}`);
    },
  },
  {
    method: 'POST',
    path: '/reports',
    surface: 'operator',
    handle: async (deps, req) => json(201, await startCompile(deps, (req.json() ?? {}) as Record<string, unknown>)),
  },
  {
    method: 'GET',
    path: '/reports/:id',
    surface: 'operator',
    async handle(deps, req) {
      const stored = await requireReport(deps, req.params.id);
      const execution = stored.executionArn ? await deps.workflow.describe(stored.executionArn).catch(() => undefined) : undefined;
      const report = await reconcileReport(deps, stored, execution);
      const audit = await reportAudit(deps, report);
      if (req.isApi) return json(200, { report: publicReport(report), audit, execution });
      return reportPage({ report, audit, subject: reportSubject(deps.template, report.periodId) });
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/download',
    surface: 'operator',
    answersJson: true,
    async handle(deps, req) {
      const report = await deps.repo.getReport(req.params.id);
      const key = report && reportFileKey(report, { format: req.query.format, draft: Boolean(req.query.draft) });
      if (!key) return json(404, { message: 'Báo cáo chưa có tệp để tải.' });
      const fileName = key.split('/').pop() ?? 'bao-cao';
      return json(200, { url: await deps.blobs.presignGet(key, 300, fileName), fileName });
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/audit',
    surface: 'operator',
    answersJson: true,
    handle: async (deps, req) => json(200, await reportAudit(deps, await requireReport(deps, req.params.id))),
  },
  {
    method: 'GET',
    path: '/reports/:id/audit.csv',
    surface: 'operator',
    async handle(deps, req) {
      const report = await requireReport(deps, req.params.id);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="nhat-ky-${report.reportId}.csv"`,
          'cache-control': 'no-store',
        },
        body: auditCsv(await reportAudit(deps, report)),
      };
    },
  },
];

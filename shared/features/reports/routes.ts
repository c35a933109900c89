import { parsePeriod } from '../../domain/periods';
import type { PeriodInfo } from '../../domain/report';
import { reportSubject, reportTypeName } from '../../domain/report-subject';
import { NotFoundError } from '../../errors';
import { shellAsset } from '../../http/html';
import { actingUser, json, type Route, redirect } from '../../http/router';
import type { ReportRecord, StoredSubmission } from '../../ports';
import { getTemplateDefinition } from '../../templates';
import { checkPeriodKind, offeredPeriods, reportAudit, reportFileKey, startCompile } from './compile';
import { deskRoutes } from './desk-routes';
import { documentPage } from './document-page';
import { reconcileReport } from './lifecycle';
import { auditCsv, gapOf, gapText, homePage, periodPage, type ReportTypeChoice, reportPage } from './pages';
import type { ReportsDeps } from './ports';
import { resumeReport } from './resume';

/** What leaves the operator API: never a task token (revision, editing desk). */
function publicReport({ revisionToken: _t, deskToken: _d, ...rest }: ReportRecord) {
  return rest;
}

async function requireReport(deps: ReportsDeps, reportId: string): Promise<ReportRecord> {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  return report;
}

/** The organization's report types for the pages; links carry ?type= when it has several. */
function reportTypes(deps: Pick<ReportsDeps, 'organization' | 'template'>): ReportTypeChoice {
  const all = deps.organization.reportTypes.map((id) => ({
    id,
    name: reportTypeName(id === deps.template.id ? deps.template : getTemplateDefinition(id)),
  }));
  return {
    current: { id: deps.template.id, name: reportTypeName(deps.template) },
    all,
    query: all.length > 1 ? `?type=${encodeURIComponent(deps.template.id)}` : '',
  };
}

/** The home page, periods and reports: JSON under /api, pages for the signed-in compiler. */

/** The period page from what its routes loaded (the compile form re-shows it with its error). */
function periodView(
  deps: Pick<ReportsDeps, 'organization' | 'template'>,
  period: PeriodInfo,
  submissions: StoredSubmission[],
  reports: ReportRecord[],
  user: string | undefined,
  compile?: { compileError: string; reason: string },
) {
  return periodPage({
    organization: deps.organization,
    periodId: period.id,
    quarters: period.quarters,
    submissions,
    reports,
    user,
    reportTypes: reportTypes(deps),
    ...compile,
  });
}

export const reportRoutes: Route<ReportsDeps>[] = [
  {
    method: 'GET',
    path: '/',
    surface: 'public',
    async handle(deps, req) {
      const periods = await offeredPeriods(deps);
      const reports = req.user ? (await Promise.all(periods.map((p) => deps.repo.listReports(p)))).flat() : [];
      const empty = deps.local ? (await deps.repo.yearsWithData()).length === 0 : false;
      return homePage({
        organization: deps.organization,
        periods,
        reports,
        local: deps.local,
        user: req.user,
        empty,
        reportTypes: reportTypes(deps),
      });
    },
  },
  {
    method: 'GET',
    path: '/assets/app.css',
    surface: 'public',
    handle: () => shellAsset('app.css'),
  },
  {
    method: 'GET',
    path: '/assets/live.js',
    surface: 'public',
    handle: () => shellAsset('live.js'),
  },
  {
    method: 'GET',
    path: '/periods/:period',
    surface: 'operator',
    async handle(deps, req) {
      const period = parsePeriod(req.params.period);
      const [submissions, reports] = await Promise.all([deps.repo.currentSubmissions(period.quarters), deps.repo.listReports(period.id)]);
      if (req.isApi) return json(200, { period, submissions: submissions.map(({ submission: _s, ...meta }) => meta), reports });
      return periodView(deps, period, submissions, reports, req.user);
    },
  },
  {
    method: 'POST',
    path: '/periods/:period/compile',
    surface: 'operator',
    async handle(deps, req) {
      if (req.isApi) {
        const body = (req.json() ?? {}) as { supersede?: unknown; reportType?: unknown };
        return json(
          201,
          await startCompile(deps, {
            periodId: req.params.period,
            supersede: body.supersede,
            reportType: body.reportType ?? req.query.type,
          }),
        );
      }
      // From the page: compiling with submissions missing needs a confirmation and a reason.
      const period = parsePeriod(req.params.period);
      checkPeriodKind(deps.template, period);
      const submissions = await deps.repo.currentSubmissions(period.quarters);
      const gaps = gapOf(deps.organization, period.quarters, submissions);
      const form = req.form();
      const reason = (form.get('reason') ?? '').trim();
      if (gaps.length && (form.get('confirm') !== '1' || !reason)) {
        const reports = await deps.repo.listReports(period.id);
        const compileError = !reason
          ? 'Chưa nhập lý do tổng hợp khi số liệu còn thiếu.'
          : 'Chưa đánh dấu xác nhận tổng hợp khi số liệu còn thiếu.';
        return periodView(deps, period, submissions, reports, req.user, { compileError, reason });
      }
      const gap = gaps.length ? { missing: `Còn thiếu số liệu — ${gapText(gaps)}.`, reason } : undefined;
      const started = await startCompile(deps, {
        periodId: period.id,
        requestedBy: req.user && req.user !== 'local' ? req.user : undefined,
        gap,
        supersede: form.get('supersede') ?? undefined,
        desk: form.get('desk') ?? undefined,
        // The form posts to ?type=<shown type>: a type the organization lacks is refused, never swapped.
        reportType: req.query.type,
      });
      return redirect(`/reports/${encodeURIComponent(started.reportId)}`);
    },
  },
  {
    method: 'POST',
    path: '/reports',
    surface: 'operator',
    async handle(deps, req) {
      const body = (req.json() ?? {}) as Record<string, unknown>;
      return json(201, await startCompile(deps, { ...body, reportType: body.reportType ?? req.query.type }));
    },
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
      return reportPage({
        report,
        audit,
        subject: reportSubject(deps.template, report.periodId),
        organization: deps.organization,
        templateId: deps.template.id,
        user: req.user,
      });
    },
  },
  {
    // Operator action: carry a report on from its record with a new execution (e.g. after fixing
    // the cause of a failed task); every approval of the current draft is kept.
    method: 'POST',
    path: '/reports/:id/resume',
    surface: 'operator',
    async handle(deps, req) {
      const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as { actor?: string } | undefined;
      const started = await resumeReport(deps, { reportId: req.params.id, actor: actingUser(deps, req, body?.actor), reason: 'operator' });
      return req.isApi ? json(200, { ok: true, ...started }) : redirect(`/reports/${encodeURIComponent(req.params.id)}`);
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/download',
    surface: 'operator',
    async handle(deps, req) {
      const report = await deps.repo.getReport(req.params.id);
      const version = Number(req.query.version) || undefined;
      const key = report && reportFileKey(report, { format: req.query.format, draft: Boolean(req.query.draft), version });
      if (!key) throw new NotFoundError('Báo cáo chưa có tệp để tải.');
      const fileName = key.split('/').pop() ?? 'bao-cao';
      const url = await deps.blobs.presignGet(key, 300, fileName);
      // The CLI reads the link as JSON; a browser gets the file itself.
      return req.isApi ? json(200, { url, fileName }) : redirect(url);
    },
  },
  {
    // Read-only views of a draft version and of the released document, from their stored models.
    method: 'GET',
    path: '/reports/:id/drafts/:version',
    surface: 'operator',
    async handle(deps, req) {
      const report = await requireReport(deps, req.params.id);
      const draft = report.drafts.find((d) => String(d.version) === req.params.version);
      if (!draft) throw new NotFoundError(`Báo cáo không có dự thảo lần ${req.params.version}.`);
      const model = await deps.blobs.getModel(draft.key);
      if (!model) throw new NotFoundError('Dự thảo này chỉ có bản .docx; vui lòng tải về để đọc.');
      if (req.isApi) return json(200, model);
      const subject = reportSubject(deps.template, report.periodId);
      return documentPage({ report, subject, organization: deps.organization, user: req.user, version: draft.version, model });
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/released',
    surface: 'operator',
    async handle(deps, req) {
      const report = await requireReport(deps, req.params.id);
      if (!report.release) throw new NotFoundError('Báo cáo chưa được ban hành.');
      const model = await deps.blobs.getModel(report.release.key);
      if (!model) throw new NotFoundError('Báo cáo này chỉ có bản .docx; vui lòng tải về để đọc.');
      if (req.isApi) return json(200, model);
      const subject = reportSubject(deps.template, report.periodId);
      return documentPage({ report, subject, organization: deps.organization, user: req.user, model });
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
        body: auditCsv(await reportAudit(deps, report), (id) => deps.organization.divisions.find((d) => d.id === id)?.name ?? id),
      };
    },
  },
  ...deskRoutes,
];

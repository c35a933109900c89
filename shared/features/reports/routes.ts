import { z } from 'zod';
import { reportSubject, resendApproval, reviseReport } from '../approval/approvals';
import { sha256 } from '../../crypto';
import { reconcileReport } from '../release/release';
import { parsePeriod } from '../../domain/periods';
import { ConflictError, NotFoundError } from '../../errors';
import type { ReportRecord } from '../../ports';
import { auditCsv, periodPage, problemPage, reportPage } from './pages';
import { presignUpload } from '../intake/routes';
import { type ApiDeps, actingUser, json, type Route, redirect } from '../../http/router';

const CompileRequest = z.object({
  periodId: z.string({ error: 'Thiếu kỳ báo cáo (periodId).' }).min(1, 'Thiếu kỳ báo cáo (periodId).'),
  requestedBy: z.string().optional(),
});

/** Creates the report record and starts the one pipeline definition for it. */
export async function startCompile(deps: ApiDeps, body: unknown) {
  const parsed = CompileRequest.safeParse(body);
  if (!parsed.success) return json(400, { message: parsed.error.issues[0]?.message ?? 'Dữ liệu không hợp lệ.' });
  const period = parsePeriod(parsed.data.periodId);
  const now = deps.now();
  const reportId = `${period.id}-${now.toISOString().replace(/\D/g, '').slice(0, 14)}-${sha256(String(Math.random())).slice(0, 4)}`;
  const requestedBy = parsed.data.requestedBy ?? deps.organization.compiler.email;
  await deps.repo.createReport({
    reportId,
    periodId: period.id,
    status: 'compiling',
    requestedBy,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    drafts: [],
    decisions: [],
  });
  const executionArn = await deps.workflow.start(reportId, { reportId, periodId: period.id, requestedBy });
  await deps.repo.updateReport(reportId, { executionArn });
  await deps.repo.appendReportAudit(reportId, {
    at: now.toISOString(),
    actor: requestedBy,
    action: 'report.compile_started',
    detail: { executionArn },
  });
  return json(201, { reportId, executionArn });
}

const notFoundJson = (what: string) => json(404, { message: `Không tìm thấy ${what}.` });

/** What leaves the operator API: never the revision task token. */
function publicReport({ revisionToken: _t, ...rest }: ReportRecord) {
  return rest;
}

/** The report's audit trail, with the submissions of its quarters (who submitted what, when, which hash). */
async function fullAudit(deps: ApiDeps, report: ReportRecord) {
  const entries = (
    await Promise.all([
      deps.repo.listReportAudit(report.reportId),
      ...parsePeriod(report.periodId).quarters.map((q) => deps.repo.listPeriodAudit(q)),
    ])
  ).flat();
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** Runs a compiler action; JSON under /api, back to the report page otherwise. */
async function reportAction(_deps: ApiDeps, req: Parameters<Route['handle']>[1], act: () => Promise<unknown>) {
  try {
    await act();
  } catch (err) {
    if (err instanceof ConflictError || err instanceof NotFoundError) {
      const status = err instanceof NotFoundError ? 404 : 409;
      return req.isApi ? json(status, { message: err.message }) : problemPage(err.message, status);
    }
    throw err;
  }
  return req.isApi ? json(200, { ok: true }) : redirect(`/reports/${encodeURIComponent(req.params.id)}`);
}

function actor(deps: ApiDeps, req: Parameters<Route['handle']>[1]) {
  const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as { actor?: string; comment?: string } | undefined;
  return { actor: actingUser(deps, req, body?.actor), comment: body?.comment };
}

/** The compiler's surfaces: JSON under /api, HTML pages on the local system. */
export const reportRoutes: Route[] = [
  { method: 'POST', path: '/uploads', surface: 'operator', handle: (deps, req) => presignUpload(deps, req.json()) },
  {
    method: 'GET',
    path: '/uploads/status',
    surface: 'operator',
    async handle(deps, req) {
      const rec = req.query.key ? await deps.repo.getUpload(req.query.key) : undefined;
      return rec ? json(200, rec) : json(404, { message: 'Chưa có kết quả cho tệp này.' });
    },
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
      const started = await startCompile(deps, { periodId: req.params.period });
      if (req.isApi || started.statusCode !== 201) return started;
      return redirect(`/reports/${encodeURIComponent(JSON.parse(started.body ?? '{}').reportId)}`);
    },
  },
  { method: 'POST', path: '/reports', surface: 'operator', handle: (deps, req) => startCompile(deps, req.json()) },
  {
    method: 'GET',
    path: '/reports/:id',
    surface: 'operator',
    async handle(deps, req) {
      const stored = await deps.repo.getReport(req.params.id);
      if (!stored) return notFoundJson(`báo cáo ${req.params.id}`);
      const execution = stored.executionArn ? await deps.workflow.describe(stored.executionArn).catch(() => undefined) : undefined;
      const report = await reconcileReport(deps, stored, execution);
      const audit = await fullAudit(deps, report);
      if (req.isApi) return json(200, { report: publicReport(report), audit, execution });
      return reportPage({ report, audit, subject: reportSubject(deps.template, report.periodId) });
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/download',
    surface: 'operator',
    async handle(deps, req) {
      const report = await deps.repo.getReport(req.params.id);
      const format = req.query.format ?? 'docx';
      const draft = req.query.draft ? report?.drafts.at(-1) : undefined;
      const release = report?.release;
      const key = draft
        ? format === 'docx'
          ? draft.key
          : undefined
        : format === 'docx'
          ? release?.key
          : release?.exports?.[format as 'json' | 'xlsx'];
      if (!report || !key) return json(404, { message: 'Báo cáo chưa có tệp để tải.' });
      const fileName = key.split('/').pop() ?? 'bao-cao';
      return json(200, { url: await deps.blobs.presignGet(key, 300, fileName), fileName });
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/audit',
    surface: 'operator',
    async handle(deps, req) {
      const report = await deps.repo.getReport(req.params.id);
      return report ? json(200, await fullAudit(deps, report)) : notFoundJson(`báo cáo ${req.params.id}`);
    },
  },
  {
    method: 'GET',
    path: '/reports/:id/audit.csv',
    surface: 'operator',
    async handle(deps, req) {
      const report = await deps.repo.getReport(req.params.id);
      if (!report) return notFoundJson(`báo cáo ${req.params.id}`);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="nhat-ky-${report.reportId}.csv"`,
          'cache-control': 'no-store',
        },
        body: auditCsv(await fullAudit(deps, report)),
      };
    },
  },
  {
    method: 'POST',
    path: '/reports/:id/resend',
    surface: 'operator',
    handle: (deps, req) => reportAction(deps, req, () => resendApproval(deps, req.params.id, actor(deps, req).actor)),
  },
  {
    method: 'POST',
    path: '/reports/:id/recompile',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(deps, req, () => reviseReport(deps, { reportId: req.params.id, action: 'recompile', ...actor(deps, req) })),
  },
  {
    method: 'POST',
    path: '/reports/:id/abandon',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(deps, req, () => reviseReport(deps, { reportId: req.params.id, action: 'abandon', ...actor(deps, req) })),
  },
  {
    method: 'GET',
    path: '/approvals',
    surface: 'operator',
    async handle(deps) {
      const pending = await deps.repo.pendingApprovals();
      return json(
        200,
        pending.map(({ taskToken: _t, linkHash: _h, ...rest }) => rest),
      );
    },
  },
];

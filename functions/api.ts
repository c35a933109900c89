import { z } from 'zod';
import { decide, inspectLink, reportSubject } from '../shared/app/approvals';
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPE } from '../shared/app/ingest';
import { newUploadKey, sha256 } from '../shared/app/keys';
import { type AwsDeps, defaultDeps } from '../shared/aws/deps';
import { PeriodError, isQuarter, parsePeriod } from '../shared/domain/periods';
import { log } from '../shared/log';
import { decidedPage, decisionPage, formPage, homePage, periodPage, problemPage, reportPage } from '../shared/web/pages';
import { page, html } from '../shared/web/html';

/** API Gateway HTTP API payload v2 (only what we read). */
export interface HttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string; sourceIp?: string } };
}
export interface HttpResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

type Deps = Pick<AwsDeps, 'repo' | 'blobs' | 'mailer' | 'workflow' | 'template' | 'organization' | 'now'> & {
  baseUrl: string;
  local: boolean;
};

const json = (statusCode: number, data: unknown): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(data),
});
const redirect = (location: string): HttpResult => ({ statusCode: 302, headers: { location, 'cache-control': 'no-store' } });
const notFound = () => page('Không tìm thấy', html`<h1>Không tìm thấy trang</h1>`, 404);

const UploadRequest = z.object({
  division: z.string({ error: 'Thiếu mã đơn vị (division).' }).min(1, 'Thiếu mã đơn vị (division).'),
  period: z.string({ error: 'Thiếu kỳ báo cáo (period).' }).regex(/^\d{4}-Q[1-4]$/, 'Kỳ báo cáo (period) phải có dạng 2021-Q1.'),
});
const CompileRequest = z.object({
  periodId: z.string({ error: 'Thiếu kỳ báo cáo (periodId).' }).min(1),
  requestedBy: z.string().optional(),
});

function bodyText(ev: HttpEvent): string {
  if (!ev.body) return '';
  return ev.isBase64Encoded ? Buffer.from(ev.body, 'base64').toString('utf8') : ev.body;
}
function parseJson(ev: HttpEvent): unknown {
  try {
    return JSON.parse(bodyText(ev) || '{}');
  } catch {
    return undefined;
  }
}
function firstIssue(err: z.ZodError): string {
  return err.issues[0]?.message ?? 'Dữ liệu không hợp lệ.';
}

export function makeHandler(getDeps: () => Deps) {
  return async (ev: HttpEvent): Promise<HttpResult> => {
    const base = getDeps();
    // The API function cannot know its own URL at deploy time without a cycle: use the Host header.
    const deps = { ...base, baseUrl: base.baseUrl || `https://${ev.headers?.host ?? ''}` };
    const method = ev.requestContext.http.method.toUpperCase();
    const path = decodeURIComponent(ev.rawPath.replace(/\/+$/, '') || '/');
    const q = ev.queryStringParameters ?? {};
    const parts = path.split('/').filter(Boolean);
    const isApi = parts[0] === 'api';
    const route = isApi ? parts.slice(1) : parts;
    const key = `${method} /${route.map((p, i) => (i > 0 && !['status', 'download', 'draft', 'compile'].includes(p) ? ':' : p)).join('/')}`;
    try {
      switch (key) {
        case 'GET /':
          return isApi ? notFound() : homePage({ organization: deps.organization, periods: listPeriods(deps.now()), local: deps.local });
        case 'GET /form':
          return formPage({ organization: deps.organization, division: q.division, period: q.period });
        case 'POST /uploads':
          return await presignUpload(deps, parseJson(ev));
        case 'GET /uploads/status': {
          const rec = q.key ? await deps.repo.getUpload(q.key) : undefined;
          return rec ? json(200, rec) : json(404, { message: 'Chưa có kết quả cho tệp này.' });
        }
        case 'GET /decision/:': {
          const found = await inspectLink(deps, route[1]);
          if (found.problem || !found.link || !found.report) return problemPage(found.problem ?? 'unknown');
          return decisionPage({
            secret: route[1],
            subject: reportSubject(deps.template, found.link.periodId),
            role: found.link.role,
            approverName: found.link.approverName,
            draftVersion: found.link.draftVersion,
            expiresAt: found.link.expiresAt,
            report: found.report,
          });
        }
        case 'GET /decision/:/draft': {
          const found = await inspectLink(deps, route[1]);
          if (found.problem || !found.link) return problemPage(found.problem ?? 'unknown');
          return redirect(await deps.blobs.presignGet(found.link.draftKey, 300, found.link.draftKey.split('/').pop()));
        }
        case 'POST /decision/:': {
          const form = new URLSearchParams(bodyText(ev));
          const decision = form.get('decision');
          if (decision !== 'approve' && decision !== 'return') return problemPage('Thiếu lựa chọn: Đồng ý hoặc Trả lại.', 400);
          const res = await decide(deps, {
            secret: route[1],
            decision,
            comment: form.get('comment') ?? undefined,
            sourceIp: ev.requestContext.http.sourceIp,
          });
          if (!res.ok) return problemPage(res.problem, res.problem === 'comment-required' ? 400 : 410);
          return decidedPage(decision);
        }
        case 'GET /download/:': {
          const target = await deps.repo.getDownload(sha256(route[1]));
          if (!target) return problemPage('unknown', 404);
          if (new Date(target.expiresAt) <= deps.now()) return problemPage('expired');
          return redirect(await deps.blobs.presignGet(target.key, 300, target.fileName));
        }
      }
      // Compiler/operator surfaces: JSON under /api (IAM on AWS); HTML pages only on the local system
      // until the compiler's email sign-in exists.
      if (!isApi && !deps.local) return notFound();
      switch (key) {
        case 'GET /periods/:': {
          const period = parsePeriod(route[1]);
          const [submissions, reports] = await Promise.all([
            deps.repo.currentSubmissions(period.quarters),
            deps.repo.listReports(period.id),
          ]);
          if (isApi) return json(200, { period, submissions: submissions.map(({ submission: _s, ...meta }) => meta), reports });
          return periodPage({ organization: deps.organization, periodId: period.id, periodLabel: period.label, submissions, reports });
        }
        case 'POST /periods/:/compile':
        case 'POST /reports': {
          const body = key === 'POST /reports' ? parseJson(ev) : { periodId: route[1] };
          const started = await startCompile(deps, body);
          if (isApi || started.statusCode !== 201) return started;
          return redirect(`/reports/${encodeURIComponent(JSON.parse(started.body ?? '{}').reportId)}`);
        }
        case 'GET /reports/:': {
          const report = await deps.repo.getReport(route[1]);
          if (!report) return isApi ? json(404, { message: `Không tìm thấy báo cáo ${route[1]}.` }) : notFound();
          const audit = await deps.repo.listAudit(`REPORT#${report.reportId}`);
          const execution = report.executionArn ? await deps.workflow.describe(report.executionArn).catch(() => undefined) : undefined;
          if (isApi) return json(200, { report, audit, execution });
          return reportPage({ report, audit, subject: reportSubject(deps.template, report.periodId) });
        }
        case 'GET /reports/:/download': {
          const report = await deps.repo.getReport(route[1]);
          const target = q.draft ? report?.drafts.at(-1) : report?.release;
          if (!report || !target) return json(404, { message: 'Báo cáo chưa có tệp để tải.' });
          return json(200, { url: await deps.blobs.presignGet(target.key, 300, target.fileName), fileName: target.fileName });
        }
        case 'GET /approvals': {
          const pending = await deps.repo.pendingApprovals();
          return json(200, pending.map(({ taskToken: _t, linkHash: _h, ...rest }) => rest));
        }
      }
      return notFound();
    } catch (err) {
      if (err instanceof PeriodError) return isApi ? json(400, { message: err.message }) : problemPage(err.message, 400);
      log.error('api error', { path, method, error: (err as Error).message });
      return json(500, { message: 'Lỗi hệ thống; vui lòng thử lại sau.' });
    }
  };
}

async function presignUpload(deps: Deps, body: unknown): Promise<HttpResult> {
  const parsed = UploadRequest.safeParse(body);
  if (!parsed.success) return json(400, { message: firstIssue(parsed.error) });
  const { division, period } = parsed.data;
  if (!deps.organization.divisions.some((d) => d.id === division)) {
    return json(400, { message: `Đơn vị (division) "${division}" không có trong danh sách đơn vị.` });
  }
  if (!isQuarter(period)) return json(400, { message: 'Kỳ báo cáo (period) phải là một quý, ví dụ 2021-Q1.' });
  const key = newUploadKey(period, division, deps.now());
  const post = await deps.blobs.presignPost(key, { maxBytes: MAX_UPLOAD_BYTES, contentType: UPLOAD_CONTENT_TYPE, expiresInSeconds: 900 });
  return json(200, { key, ...post });
}

async function startCompile(deps: Deps, body: unknown): Promise<HttpResult> {
  const parsed = CompileRequest.safeParse(body);
  if (!parsed.success) return json(400, { message: firstIssue(parsed.error) });
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
  await deps.repo.appendAudit(`REPORT#${reportId}`, { at: now.toISOString(), actor: requestedBy, action: 'report.compile_started', detail: { executionArn } });
  return json(201, { reportId, executionArn });
}

function listPeriods(now: Date): string[] {
  const years = [...new Set([2021, now.getUTCFullYear()])];
  return years.flatMap((y) => [`${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`, `${y}-H1`, `${y}-9M`, `${y}`]);
}

export const handler = makeHandler(() => {
  const d = defaultDeps();
  return { ...d, local: d.env.BAOCAO_LOCAL === '1' };
});

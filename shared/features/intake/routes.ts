import { z } from 'zod';
import { divisionHistory } from './history';
import { MAX_UPLOAD_BYTES } from './ingest';
import { formModel } from './form-model';
import { vnDateTime } from '../../format/vietnam-time';
import { lockedMessage } from './guard';
import {
  completenessOf,
  type IntakeDeps,
  IntakeError,
  inspectInvite,
  openPeriod,
  PROBLEM_MESSAGE,
  prefillFor,
  presignForInvite,
  reopenDivision,
  sendReminders,
} from './service';
import { CONTENT_TYPES, newIntakeUploadKey } from './upload-keys';
import { buildSubmissionXlsx } from './xlsx';
import { isQuarter, parsePeriod } from '../../domain/periods';
import { html, page } from '../../http/html';
import { formScript } from './web/asset';
import { completenessPage } from './web/dashboard-page';
import { intakeFormPage, inviteProblemPage } from './web/form-page';
import { formPage } from '../reports/pages';
import { type ApiDeps, actingUser, type HttpResult, json, type Request, type Route, redirect } from '../../http/router';

const UploadRequest = z.object({
  division: z.string({ error: 'Thiếu mã đơn vị (division).' }).min(1, 'Thiếu mã đơn vị (division).'),
  period: z.string({ error: 'Thiếu kỳ báo cáo (period).' }).regex(/^\d{4}-Q[1-4]$/, 'Kỳ báo cáo (period) phải có dạng 2021-Q1.'),
  kind: z.enum(['json', 'xlsx'], { error: 'Loại tệp (kind) phải là "json" hoặc "xlsx".' }).default('json'),
});

/**
 * The operator path (/api/uploads, IAM on AWS): a presigned POST bound to one key under the
 * division's prefix, with size and type conditions. Divisions upload through their invite instead.
 */
export async function presignUpload(deps: ApiDeps, body: unknown) {
  const parsed = UploadRequest.safeParse(body);
  if (!parsed.success) return json(400, { message: parsed.error.issues[0]?.message ?? 'Dữ liệu không hợp lệ.' });
  const { division, period, kind } = parsed.data;
  if (!deps.organization.divisions.some((d) => d.id === division)) {
    return json(400, { message: `Đơn vị (division) "${division}" không có trong danh sách đơn vị.` });
  }
  if (!isQuarter(period)) return json(400, { message: 'Kỳ báo cáo (period) phải là một quý, ví dụ 2021-Q1.' });
  const key = newIntakeUploadKey(period, division, deps.now(), kind);
  const post = await deps.blobs.presignPost(key, { maxBytes: MAX_UPLOAD_BYTES, contentType: CONTENT_TYPES[kind], expiresInSeconds: 900 });
  return json(200, { key, ...post });
}

export function intakeDeps(deps: ApiDeps): IntakeDeps {
  return { ...deps, options: deps.intakeOptions };
}

function fail(err: unknown, req: Request, asPage: boolean): HttpResult {
  if (!(err instanceof IntakeError)) throw err;
  if (req.isApi || !asPage) return json(err.status, { message: err.message });
  return page('Không thực hiện được', html`<h1>Không thực hiện được</h1><p class="err" role="alert">${err.message}</p>`, err.status);
}

async function invitePage(deps: ApiDeps, secret: string): Promise<HttpResult> {
  const d = intakeDeps(deps);
  const check = await inspectInvite(d, secret);
  if (!check.ok) return inviteProblemPage(PROBLEM_MESSAGE[check.problem], check.problem === 'unknown' ? 404 : 410);
  const { invite, division, lock } = check;
  const period = parsePeriod(invite.periodId);
  const model = formModel(deps.template, division.id);
  const common = {
    divisionName: division.name,
    periodLabel: period.label,
    deadline: vnDateTime(lock.deadlineEnd),
    expiresAt: vnDateTime(invite.expiresAt),
    model,
  };
  const { sections: _s, preamble: _p, closing: _c, ...validationTemplate } = deps.template;
  const config = {
    secret,
    periodId: invite.periodId,
    divisionId: division.id,
    template: { ...validationTemplate, sections: [], preamble: [], closing: '' },
    organization: { divisions: deps.organization.divisions.map((x) => ({ id: x.id, name: x.name, contacts: [] })) },
    model,
    history: [] as unknown[],
    draftKey: `baocao:nop:${invite.periodId}:${division.id}`,
  };
  if (lock.locked) return intakeFormPage({ ...common, config, locked: lockedMessage(invite.periodId, lock) });
  const [prefill, history] = await Promise.all([
    prefillFor(d, invite.periodId, division.id),
    divisionHistory(d.repo, invite.periodId, division.id),
  ]);
  return intakeFormPage({
    ...common,
    prefillFrom: prefill.from,
    config: {
      ...config,
      history,
      ...(prefill.submission
        ? {
            prefill: {
              indicators: prefill.submission.indicators,
              tables: prefill.submission.tables,
              narratives: prefill.submission.narratives,
            },
          }
        : {}),
    },
  });
}

async function templateXlsx(deps: ApiDeps, secret: string): Promise<HttpResult> {
  const d = intakeDeps(deps);
  const check = await inspectInvite(d, secret);
  if (!check.ok) return inviteProblemPage(PROBLEM_MESSAGE[check.problem], check.problem === 'unknown' ? 404 : 410);
  const prefill = await prefillFor(d, check.invite.periodId, check.division.id);
  const data = await buildSubmissionXlsx({
    template: deps.template,
    organization: deps.organization,
    divisionId: check.division.id,
    periodId: check.invite.periodId,
    prefill: prefill.submission,
  });
  const name = `mau-so-lieu-${check.division.id}-${check.invite.periodId}.xlsx`;
  return {
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES.xlsx,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: data.toString('base64'),
    isBase64Encoded: true,
  };
}

const KindRequest = z.object({ kind: z.enum(['json', 'xlsx']).default('json') });

async function inviteUpload(deps: ApiDeps, req: Request): Promise<HttpResult> {
  const body = KindRequest.safeParse(req.json() ?? {});
  if (!body.success) return json(400, { message: 'Loại tệp phải là JSON hoặc Excel (.xlsx).' });
  try {
    return json(200, await presignForInvite(intakeDeps(deps), req.params.id, body.data.kind));
  } catch (err) {
    return fail(err, req, false);
  }
}

/** Outcome of an upload, only for keys under the invite's own division and quarter. */
async function inviteStatus(deps: ApiDeps, req: Request): Promise<HttpResult> {
  const check = await inspectInvite(intakeDeps(deps), req.params.id);
  if (!check.ok) return json(check.problem === 'unknown' ? 404 : 410, { message: PROBLEM_MESSAGE[check.problem] });
  const key = req.query.key ?? '';
  if (!key.startsWith(`raw/${check.invite.periodId}/${check.division.id}/`)) return json(403, { message: 'Tệp này không thuộc đơn vị.' });
  const rec = await deps.repo.getUpload(key);
  return rec ? json(200, rec) : json(404, { message: 'Chưa có kết quả cho tệp này.' });
}

const FLASH: Record<string, (n: string) => string> = {
  opened: (n) => `Đã gửi liên kết nộp số liệu cho ${n} đơn vị.`,
  reminded: (n) => `Đã gửi thư nhắc cho ${n} đơn vị.`,
  reopened: (n) => `Đã mở lại kỳ cho đơn vị ${n} và gửi liên kết mới.`,
};

/** Operator actions answer JSON under /api and redirect to the dashboard from the local pages. */
function operatorAction(
  action: (d: IntakeDeps, req: Request, by: string) => Promise<{ result: unknown; flash: [string, string] }>,
): Route['handle'] {
  return async (deps, req) => {
    const d = intakeDeps(deps);
    const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as Record<string, unknown> | undefined;
    const by = actingUser(deps, req, body?.by);
    try {
      const { result, flash } = await action(d, { ...req, json: () => body }, by);
      if (req.isApi) return json(200, result);
      return redirect(`/periods/${encodeURIComponent(req.params.period)}/completeness?done=${flash[0]}&n=${encodeURIComponent(flash[1])}`);
    } catch (err) {
      return fail(err, req, true);
    }
  };
}

export const intakeRoutes: Route[] = [
  // The older generic form (any division, any quarter): the compiler's, never a division's.
  {
    method: 'GET',
    path: '/form',
    surface: 'operator',
    handle: (deps, req) => formPage({ organization: deps.organization, division: req.query.division, period: req.query.period }),
  },
  { method: 'GET', path: '/nop/:id', surface: 'public', handle: (deps, req) => invitePage(deps, req.params.id) },
  { method: 'GET', path: '/nop/:id/mau.xlsx', surface: 'public', handle: (deps, req) => templateXlsx(deps, req.params.id) },
  { method: 'POST', path: '/nop/:id/upload', surface: 'public', handle: inviteUpload },
  { method: 'GET', path: '/nop/:id/status', surface: 'public', handle: inviteStatus },
  {
    method: 'GET',
    path: '/assets/form.js',
    surface: 'public',
    async handle() {
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'public, max-age=300',
          'x-content-type-options': 'nosniff',
        },
        body: await formScript(),
      };
    },
  },
  {
    method: 'GET',
    path: '/periods/:period/completeness',
    surface: 'operator',
    async handle(deps, req) {
      try {
        const report = await completenessOf(intakeDeps(deps), req.params.period);
        if (req.isApi) return json(200, report);
        const flash = req.query.done && FLASH[req.query.done] ? FLASH[req.query.done](req.query.n ?? '') : undefined;
        return completenessPage({ report, periodLabel: parsePeriod(report.periodId).label, flash });
      } catch (err) {
        return fail(err, req, true);
      }
    },
  },
  {
    method: 'POST',
    path: '/periods/:period/open',
    surface: 'operator',
    handle: operatorAction(async (d, req, by) => {
      const result = await openPeriod(d, req.params.period, by);
      return { result, flash: ['opened', String(result.sent.length)] };
    }),
  },
  {
    method: 'POST',
    path: '/periods/:period/reopen',
    surface: 'operator',
    handle: operatorAction(async (d, req, by) => {
      const division = (req.json() as { division?: unknown } | undefined)?.division;
      if (typeof division !== 'string' || !division) throw new IntakeError('Thiếu mã đơn vị (division) cần mở lại.');
      const result = await reopenDivision(d, req.params.period, division, by);
      return { result, flash: ['reopened', division] };
    }),
  },
  {
    method: 'POST',
    path: '/periods/:period/remind',
    surface: 'operator',
    handle: operatorAction(async (d, req, by) => {
      const result = await sendReminders(d, req.params.period, by);
      return { result, flash: ['reminded', String(result.reminded.length)] };
    }),
  },
];

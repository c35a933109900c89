import { actingUser, type HttpResult, json, type Request, type Route, redirect } from '../../http/router';
import { inviteFormView, inviteWorkbook } from './invite-form';
import { completenessOf, type IntakeDeps, IntakeError, openPeriod, presignForInvite, reopenDivision, sendReminders } from './service';
import { CONTENT_TYPES, parseIntakeKey } from './upload-keys';
import { uploadStatus, uploadStatusAnswer } from './upload-status';
import { inviteUploadStatus, presignOperatorUpload, uploadKind } from './uploads';
import { formScript } from './web/asset';
import { completenessPage } from './web/dashboard-page';
import { intakeFormPage } from './web/form-page';
import { formPage } from './web/operator-form-page';

const notYet = () => json(404, { message: 'Chưa có kết quả cho tệp này.' });

const FLASH: Record<string, (n: string) => string> = {
  opened: (n) => `Đã gửi liên kết nộp số liệu cho ${n} đơn vị.`,
  reminded: (n) => `Đã gửi thư nhắc cho ${n} đơn vị.`,
  reopened: (n) => `Đã mở lại kỳ cho đơn vị ${n} và gửi liên kết mới.`,
};

/** Operator actions answer JSON under /api and redirect to the dashboard from the pages. */
function operatorAction(
  action: (
    d: IntakeDeps,
    req: Request,
    body: Record<string, unknown> | undefined,
    by: string,
  ) => Promise<{ result: unknown; flash: [string, string] }>,
): Route<IntakeDeps>['handle'] {
  return async (deps, req) => {
    const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as Record<string, unknown> | undefined;
    const { result, flash } = await action(deps, req, body, actingUser(deps, req, body?.by));
    if (req.isApi) return json(200, result);
    return redirect(`/periods/${encodeURIComponent(req.params.period)}/completeness?done=${flash[0]}&n=${encodeURIComponent(flash[1])}`);
  };
}

/** Division intake: invite links and their form, uploads, and the compiler's completeness dashboard. */
export const intakeRoutes: Route<IntakeDeps>[] = [
  // The older generic form (any division, any quarter): the compiler's, never a division's.
  {
    method: 'GET',
    path: '/form',
    surface: 'operator',
    handle: (deps, req) => formPage({ organization: deps.organization, division: req.query.division, period: req.query.period }),
  },
  {
    method: 'POST',
    path: '/uploads',
    surface: 'operator',
    answersJson: true,
    handle: async (deps, req) => json(200, await presignOperatorUpload(deps, (req.json() ?? {}) as Record<string, unknown>)),
  },
  {
    method: 'GET',
    path: '/uploads/status',
    surface: 'operator',
    answersJson: true,
    async handle(deps, req) {
      if (!req.query.key) return notYet();
      // Only an upload key can have an outcome: anything else (a repeated ?key=, a path, a long text) is simply unknown.
      if (!parseIntakeKey(req.query.key))
        return json(404, {
          message:
            'Mã tệp (key) không phải mã của một tệp tải lên (dạng raw/2021-Q1/VP/….json); hãy dùng mã do hệ thống trả về khi xin tải lên.',
        });
      const { statusCode, body } = uploadStatusAnswer(await uploadStatus(deps, req.query.key));
      return json(statusCode, body);
    },
  },
  {
    method: 'GET',
    path: '/nop/:id',
    surface: 'public',
    handle: async (deps, req) => intakeFormPage(await inviteFormView(deps, req.params.id)),
  },
  {
    method: 'GET',
    path: '/nop/:id/mau.xlsx',
    surface: 'public',
    async handle(deps, req): Promise<HttpResult> {
      const { data, fileName } = await inviteWorkbook(deps, req.params.id);
      return {
        statusCode: 200,
        headers: {
          'content-type': CONTENT_TYPES.xlsx,
          'content-disposition': `attachment; filename="${fileName}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: data.toString('base64'),
        isBase64Encoded: true,
      };
    },
  },
  {
    method: 'POST',
    path: '/nop/:id/upload',
    surface: 'public',
    answersJson: true,
    handle: async (deps, req) =>
      json(200, await presignForInvite(deps, req.params.id, uploadKind((req.json() as { kind?: unknown })?.kind))),
  },
  {
    method: 'GET',
    path: '/nop/:id/status',
    surface: 'public',
    answersJson: true,
    async handle(deps, req) {
      const { statusCode, body } = uploadStatusAnswer(await inviteUploadStatus(deps, req.params.id, req.query.key ?? ''));
      return json(statusCode, body);
    },
  },
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
      const report = await completenessOf(deps, req.params.period);
      if (req.isApi) return json(200, report);
      const flash = req.query.done && FLASH[req.query.done] ? FLASH[req.query.done](req.query.n ?? '') : undefined;
      return completenessPage({ report, flash, ask: req.query.ask === 'open', user: req.user, organization: deps.organization });
    },
  },
  {
    method: 'POST',
    path: '/periods/:period/open',
    surface: 'operator',
    async handle(deps, req) {
      if (!req.isApi) {
        // A second "Mở kỳ" must not re-mail everyone: ask, and by default mail only those not yet invited.
        const form = req.form();
        const invited = (await completenessOf(deps, req.params.period)).divisions.filter((d) => d.hasValidInvite).map((d) => d.divisionId);
        const scope = form.get('scope');
        if (invited.length && scope !== 'all' && scope !== 'new')
          return redirect(`/periods/${encodeURIComponent(req.params.period)}/completeness?ask=open#mo-ky`);
        if (invited.length && scope === 'all' && form.get('confirm') !== '1')
          throw new IntakeError('Chưa đánh dấu xác nhận gửi lại liên kết cho tất cả đơn vị. Chưa có thư nào được gửi.');
        const only =
          invited.length && scope === 'new'
            ? deps.organization.divisions.map((d) => d.id).filter((id) => !invited.includes(id))
            : undefined;
        const result = await openPeriod(deps, req.params.period, actingUser(deps, req, undefined), only);
        return redirect(`/periods/${encodeURIComponent(req.params.period)}/completeness?done=opened&n=${result.sent.length}`);
      }
      const result = await openPeriod(deps, req.params.period, actingUser(deps, req, (req.json() as { by?: unknown } | undefined)?.by));
      return json(200, result);
    },
  },
  {
    method: 'POST',
    path: '/periods/:period/reopen',
    surface: 'operator',
    handle: operatorAction(async (d, req, body, by) => {
      const division = body?.division;
      if (typeof division !== 'string' || !division) throw new IntakeError('Thiếu mã đơn vị (division) cần mở lại.');
      // From the page, reopening is confirmed with a reason (it replaces an on-time submission's status).
      if (!req.isApi && (!String(body?.comment ?? '').trim() || body?.confirm !== '1'))
        throw new IntakeError('Mở lại cần ghi lý do và đánh dấu xác nhận. Chưa có thay đổi nào.');
      const result = await reopenDivision(d, req.params.period, division, by);
      return { result, flash: ['reopened', division] };
    }),
  },
  {
    method: 'POST',
    path: '/periods/:period/remind',
    surface: 'operator',
    handle: operatorAction(async (d, req, _body, by) => {
      const result = await sendReminders(d, req.params.period, by);
      return { result, flash: ['reminded', String(result.reminded.length)] };
    }),
  },
];

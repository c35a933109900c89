import { chainFor } from '../../config/schema';
import { documentHtml } from '../../document/html';
import { reportSubject } from '../../domain/report-subject';
import { ValidationError } from '../../errors';
import { formatNumber, formatPercent } from '../../format/vi';
import { actingUser, json, type Request, type Route, redirect } from '../../http/router';
import type { ApprovalLink, ReportRecord } from '../../ports';
import { loadAggregate } from '../reports/pipeline';
import { resendApproval, reviseReport } from './approvals';
import { changesSection, changesSinceLastSeen } from './changes';
import { decide, inspectLink } from './decide';
import { alreadyDecidedPage, decidedPage, decisionPage, type KeyFigure, linkProblemPage } from './pages';
import type { ApprovalDeps } from './ports';

/** The figures a leader reads first: every ratio, then the first indicators. */
async function keyFigures(deps: ApprovalDeps, report: ReportRecord): Promise<KeyFigure[]> {
  if (!report.aggregateKey) return [];
  const agg = await loadAggregate(deps, report.aggregateKey).catch(() => undefined);
  if (!agg) return [];
  const ratios = deps.template.ratios
    .filter((r) => r.id in agg.ratios)
    .map((r) => ({ label: r.label, value: formatPercent(agg.ratios[r.id]) }));
  const indicators = deps.template.indicators
    .filter((i) => typeof agg.indicators[i.id] === 'number')
    .slice(0, 6)
    .map((i) => ({ label: i.label, value: `${formatNumber(agg.indicators[i.id])}${i.unit ? ` ${i.unit}` : ''}` }));
  return [...ratios, ...indicators].slice(0, 8);
}

async function showDecision(
  deps: ApprovalDeps,
  secret: string,
  link: ApprovalLink,
  report: ReportRecord,
  again?: { error: string; comment: string; ticked: string[] },
) {
  // The draft as stored beside its .docx; a missing or unreadable model leaves the download alone.
  const model = await deps.blobs.getModel(link.draftKey).catch(() => undefined);
  return decisionPage({
    secret,
    subject: reportSubject(deps.template, link.periodId),
    role: link.role,
    approverName: link.approverName,
    draftVersion: link.draftVersion,
    expiresAt: link.expiresAt,
    report,
    divisions: deps.organization.divisions,
    organization: deps.organization,
    figures: await keyFigures(deps, report),
    draftHtml: model ? documentHtml(model, { headingLevel: 3 }) : undefined,
    changes: changesSection(deps.template, await changesSinceLastSeen(deps, report, link)),
    ...again,
  });
}

/** After the last step's approval: the number if the release already happened, else undefined ("đang ban hành"). No waiting: the POST answers at once. */
async function releasedNumber(deps: ApprovalDeps, reportId: string): Promise<string | undefined> {
  return (await deps.repo.getReport(reportId))?.release?.documentNumber;
}

/** Irreversible compiler actions need a reason and a ticked confirmation when sent from a page. */
function requireReason(req: Request, what: string) {
  if (req.isApi) return;
  const form = req.form();
  if (!(form.get('comment') ?? '').trim()) throw new ValidationError(`Chưa nhập lý do ${what}. Chưa có thay đổi nào.`);
  if (form.get('confirm') !== '1') throw new ValidationError(`Chưa đánh dấu xác nhận ${what}. Chưa có thay đổi nào.`);
}

function actor(deps: ApprovalDeps, req: Request) {
  const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as { actor?: string; comment?: string } | undefined;
  return { actor: actingUser(deps, req, body?.actor), comment: body?.comment };
}

/** A compiler action on a report: JSON under /api, back to the report page otherwise. */
async function reportAction(req: Request, act: () => Promise<unknown>) {
  await act();
  return req.isApi ? json(200, { ok: true }) : redirect(`/reports/${encodeURIComponent(req.params.id)}`);
}

/** Decision links (GET shows, POST decides) and the compiler's actions on the chain. */
export const approvalRoutes: Route<ApprovalDeps>[] = [
  {
    method: 'GET',
    path: '/decision/:secret',
    surface: 'public',
    async handle(deps, req) {
      const found = await inspectLink(deps, req.params.secret);
      if (found.holder && (found.problem === 'decided' || found.problem === 'superseded'))
        return alreadyDecidedPage(found.holder.record, 200);
      if (found.problem || !found.link || !found.report) return linkProblemPage(found.problem ?? 'unknown');
      return showDecision(deps, req.params.secret, found.link, found.report);
    },
  },
  {
    method: 'GET',
    path: '/decision/:secret/draft',
    surface: 'public',
    async handle(deps, req) {
      const found = await inspectLink(deps, req.params.secret);
      if (found.problem || !found.link) return linkProblemPage(found.problem ?? 'unknown');
      return redirect(await deps.blobs.presignGet(found.link.draftKey, 300, found.link.draftKey.split('/').pop()));
    },
  },
  {
    method: 'POST',
    path: '/decision/:secret',
    surface: 'public',
    async handle(deps, req) {
      const form = req.form();
      const decision = form.get('decision');
      if (decision !== 'approve' && decision !== 'return') return linkProblemPage('Thiếu lựa chọn: Đồng ý hoặc Trả lại.', 400);
      const found = await inspectLink(deps, req.params.secret);
      if (found.problem || !found.link || !found.report) return linkProblemPage(found.problem ?? 'unknown');
      // A return without a comment is caught here, keeping what was typed and ticked.
      if (decision === 'return' && !(form.get('comment') ?? '').trim())
        return showDecision(deps, req.params.secret, found.link, found.report, {
          error: 'Khi trả lại dự thảo, đồng chí cần ghi ý kiến. Chưa có thay đổi nào.',
          comment: form.get('comment') ?? '',
          ticked: form.getAll('divisions'),
        });
      const res = await decide(deps, {
        secret: req.params.secret,
        decision,
        comment: form.get('comment') ?? undefined,
        divisions: form.getAll('divisions'),
        sourceIp: req.sourceIp,
      });
      if (res.ok) {
        const last = found.link.stepIndex === chainFor(deps.organization, deps.template.id).length - 1;
        if (decision !== 'approve' || !last) return decidedPage(decision);
        return decidedPage(decision, { documentNumber: await releasedNumber(deps, found.link.reportId) });
      }
      if (res.problem === 'invalid') return linkProblemPage(res.message, 400);
      if (res.problem === 'handoff-unavailable') return linkProblemPage(res.problem, 503);
      if ('holder' in res && res.holder && (res.problem === 'decided' || res.problem === 'superseded')) {
        return alreadyDecidedPage(res.holder.record, 409);
      }
      return linkProblemPage(res.problem, 410);
    },
  },
  {
    method: 'POST',
    path: '/reports/:id/resend',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(req, async () => {
        requireReason(req, 'gửi lại thư');
        const who = actor(deps, req);
        await resendApproval(deps, req.params.id, who.actor, who.comment);
      }),
  },
  {
    method: 'POST',
    path: '/reports/:id/recompile',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(req, async () => {
        requireReason(req, 'tổng hợp lại');
        await reviseReport(deps, { reportId: req.params.id, action: 'recompile', ...actor(deps, req) });
      }),
  },
  {
    method: 'POST',
    path: '/reports/:id/abandon',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(req, async () => {
        requireReason(req, 'dừng báo cáo');
        await reviseReport(deps, { reportId: req.params.id, action: 'abandon', ...actor(deps, req) });
      }),
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

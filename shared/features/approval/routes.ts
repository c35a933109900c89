import { reportSubject } from '../../domain/report-subject';
import { actingUser, json, type Request, type Route, redirect } from '../../http/router';
import { resendApproval, reviseReport } from './approvals';
import { decide, inspectLink } from './decide';
import { alreadyDecidedPage, decidedPage, decisionPage, linkProblemPage } from './pages';
import type { ApprovalDeps } from './ports';

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
      return decisionPage({
        secret: req.params.secret,
        subject: reportSubject(deps.template, found.link.periodId),
        role: found.link.role,
        approverName: found.link.approverName,
        draftVersion: found.link.draftVersion,
        expiresAt: found.link.expiresAt,
        report: found.report,
        divisions: deps.organization.divisions,
      });
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
      const res = await decide(deps, {
        secret: req.params.secret,
        decision,
        comment: form.get('comment') ?? undefined,
        divisions: form.getAll('divisions'),
        sourceIp: req.sourceIp,
      });
      if (res.ok) return decidedPage(decision);
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
    handle: (deps, req) => reportAction(req, () => resendApproval(deps, req.params.id, actor(deps, req).actor)),
  },
  {
    method: 'POST',
    path: '/reports/:id/recompile',
    surface: 'operator',
    handle: (deps, req) =>
      reportAction(req, () => reviseReport(deps, { reportId: req.params.id, action: 'recompile', ...actor(deps, req) })),
  },
  {
    method: 'POST',
    path: '/reports/:id/abandon',
    surface: 'operator',
    handle: (deps, req) => reportAction(req, () => reviseReport(deps, { reportId: req.params.id, action: 'abandon', ...actor(deps, req) })),
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

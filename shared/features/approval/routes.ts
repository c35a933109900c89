import { decide, inspectLink, reportSubject } from './approvals';
import { sha256 } from '../../crypto';
import { decidedPage, decisionPage, problemPage } from '../reports/pages';
import { type Route, redirect } from '../../http/router';

/** Decision links (GET shows, POST decides) and recipients' download links. */
export const approvalRoutes: Route[] = [
  {
    method: 'GET',
    path: '/decision/:secret',
    surface: 'public',
    async handle(deps, req) {
      const found = await inspectLink(deps, req.params.secret);
      if (found.problem || !found.link || !found.report) return problemPage(found.problem ?? 'unknown');
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
      if (found.problem || !found.link) return problemPage(found.problem ?? 'unknown');
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
      if (decision !== 'approve' && decision !== 'return') return problemPage('Thiếu lựa chọn: Đồng ý hoặc Trả lại.', 400);
      const res = await decide(deps, {
        secret: req.params.secret,
        decision,
        comment: form.get('comment') ?? undefined,
        divisions: form.getAll('divisions'),
        sourceIp: req.sourceIp,
      });
      if (!res.ok) return problemPage(res.problem, res.problem === 'comment-required' ? 400 : 410);
      return decidedPage(decision);
    },
  },
  {
    method: 'GET',
    path: '/download/:secret',
    surface: 'public',
    async handle(deps, req) {
      const target = await deps.repo.getDownload(sha256(req.params.secret));
      if (!target) return problemPage('unknown', 404);
      if (new Date(target.expiresAt) <= deps.now()) return problemPage('expired');
      return redirect(await deps.blobs.presignGet(target.key, 300, target.fileName));
    },
  },
];

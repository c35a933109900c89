import { parsePeriod } from '../../domain/periods';
import { reportSubject } from '../../domain/report-subject';
import { AppError } from '../../errors';
import { actingUser, json, type Request, type Route, redirect } from '../../http/router';
import { type DeskView, loadDesk, readDeskForm, saveDesk, sendFromDesk, submissionsSinceAggregate } from './desk';
import { deskPage } from './desk-page';
import { deskAsset } from './desk-script';
import type { ReportsDeps } from './ports';

async function show(deps: ReportsDeps, req: Request, view: DeskView, extra: { saved?: number; error?: string } = {}) {
  // Submissions received while the compiler edits are not in this draft: the page says which.
  const later =
    view.report.status === 'editing'
      ? submissionsSinceAggregate(view.report, await deps.repo.currentSubmissions(parsePeriod(view.report.periodId).quarters))
      : [];
  return deskPage({
    view,
    later,
    subject: reportSubject(deps.template, view.report.periodId),
    template: deps.template,
    organization: deps.organization,
    user: req.user,
    ...extra,
  });
}

/** The editing desk: shown, saved (a new version each time), sent for approval. */
export const deskRoutes: Route<ReportsDeps>[] = [
  {
    method: 'GET',
    path: '/assets/desk.js',
    surface: 'public',
    handle: () => deskAsset(),
  },
  {
    method: 'GET',
    path: '/reports/:id/desk',
    surface: 'operator',
    async handle(deps, req) {
      const view = await loadDesk(deps, req.params.id);
      if (req.isApi)
        return json(200, { edits: view.edits ?? null, versions: view.versions, flags: view.result.flags, items: view.result.items });
      const saved = Number(req.query.saved);
      return show(deps, req, view, Number.isInteger(saved) && saved > 0 ? { saved } : {});
    },
  },
  {
    method: 'POST',
    path: '/reports/:id/desk',
    surface: 'operator',
    async handle(deps, req) {
      const id = req.params.id;
      const form = req.form();
      const actor = actingUser(deps, req, form.get('actor') ?? undefined);
      try {
        const read = readDeskForm(form);
        const saved = await saveDesk(deps, { reportId: id, actor, ...read });
        if (form.get('send') === '1') {
          await sendFromDesk(deps, { reportId: id, actor });
          return redirect(`/reports/${encodeURIComponent(id)}`);
        }
        return redirect(`/reports/${encodeURIComponent(id)}/desk${saved ? `?saved=${saved.version}` : ''}`);
      } catch (err) {
        // The page again with the message; what the compiler typed is in the stored version or lost
        // only on a conflict (someone else saved first), which the message says.
        if (err instanceof AppError && !req.isApi) return show(deps, req, await loadDesk(deps, id), { error: err.message });
        throw err;
      }
    },
  },
  {
    method: 'POST',
    path: '/reports/:id/desk/send',
    surface: 'operator',
    async handle(deps, req) {
      const body = (req.isApi ? req.json() : Object.fromEntries(req.form())) as { actor?: string } | undefined;
      await sendFromDesk(deps, { reportId: req.params.id, actor: actingUser(deps, req, body?.actor) });
      return req.isApi ? json(200, { ok: true }) : redirect(`/reports/${encodeURIComponent(req.params.id)}`);
    },
  },
];

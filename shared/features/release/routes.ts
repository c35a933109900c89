import { sha256 } from '../../crypto';
import { reportSubject } from '../../domain/report-subject';
import { AppError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import { type Route, redirect } from '../../http/router';
import { linkProblemPage } from '../approval/pages';
import { enterNumber, inspectClerkLink, NumberTakenError } from './numbering';
import { clerkNumberPage, clerkProblemPage, numberEnteredPage, signedDownloadPage } from './pages';
import type { ReleaseDeps } from './ports';

/** The download a link's secret names, or the page saying it is unknown or expired. */
async function liveDownload(deps: ReleaseDeps, secret: string) {
  const target = await deps.repo.getDownload(sha256(secret));
  if (!target) return linkProblemPage('unknown', 404);
  if (new Date(target.expiresAt) <= deps.now()) return linkProblemPage('expired');
  return target;
}

/** A recipient's download link, and the clerk of records' link to enter a document number. */
export const releaseRoutes: Route<ReleaseDeps>[] = [
  {
    method: 'GET',
    path: '/download/:secret',
    surface: 'public',
    async handle(deps, req) {
      const target = await liveDownload(deps, req.params.secret);
      if ('statusCode' in target) return target;
      if (!target.signed) return redirect(await deps.blobs.presignGet(target.key, 300, target.fileName));
      // The signed original: its signatures checked now, before the reader downloads it.
      const pdf = await deps.blobs.get(target.key);
      const signatures = deps.signed ? await deps.signed.pades.verify(pdf, await deps.signed.keys.trustedRoots()) : [];
      return signedDownloadPage({
        subject: reportSubject(deps.template, (await deps.repo.getReport(target.reportId))?.periodId ?? ''),
        fileName: target.fileName,
        signatures,
        pdfUrl: `/download/${req.params.secret}/pdf`,
        docxUrl: target.docx ? `/download/${req.params.secret}/docx` : undefined,
      });
    },
  },
  {
    method: 'GET',
    path: '/download/:secret/:file',
    surface: 'public',
    async handle(deps, req) {
      const target = await liveDownload(deps, req.params.secret);
      if ('statusCode' in target) return target;
      const file = req.params.file === 'docx' ? target.docx : req.params.file === 'pdf' && target.signed ? target : undefined;
      if (!file) return linkProblemPage('unknown', 404);
      return redirect(await deps.blobs.presignGet(file.key, 300, file.fileName));
    },
  },
  {
    method: 'GET',
    path: '/register/:secret',
    surface: 'public',
    async handle(deps, req) {
      const found = await inspectClerkLink(deps, req.params.secret);
      if (!found.link) return clerkProblemPage(found.problem, found.problem === 'unknown' ? 404 : 410);
      return clerkNumberPage({
        secret: req.params.secret,
        subject: reportSubject(deps.template, found.link.periodId),
        documentCode: deps.organization.documentCode,
        year: found.year,
        suggested: found.suggested,
        now: deps.now(),
        expiresAt: found.link.expiresAt,
      });
    },
  },
  {
    method: 'POST',
    path: '/register/:secret',
    surface: 'public',
    async handle(deps, req) {
      const form = req.form();
      const input = { secret: req.params.secret, number: form.get('number') ?? '', issueDate: form.get('issueDate') ?? '' };
      try {
        const numbering = await enterNumber(deps, input);
        return numberEnteredPage(formatDocumentNumber(numbering.number, deps.organization.documentCode));
      } catch (err) {
        // A refused entry shows the form again with the reason and what was typed.
        if (!(err instanceof AppError) || err.status === 404) throw err;
        const found = await inspectClerkLink(deps, req.params.secret);
        if (!found.link) return clerkProblemPage(found.problem);
        return clerkNumberPage({
          secret: req.params.secret,
          subject: reportSubject(deps.template, found.link.periodId),
          documentCode: deps.organization.documentCode,
          year: found.year,
          suggested: err instanceof NumberTakenError ? err.suggested : found.suggested,
          now: deps.now(),
          expiresAt: found.link.expiresAt,
          error: err.message,
          errorStatus: err.status,
          number: err instanceof NumberTakenError ? String(err.suggested) : input.number,
          issueDate: input.issueDate,
        });
      }
    },
  },
];

import { AppError } from '../../errors';
import type { Route } from '../../http/router';
import { retryDonePage, retryPage, sealedPage, sealPage, signingProblemPage } from './pages';
import type { SigningDeps } from './ports';
import { applySeal, chooseSigningRetry, inspectSigningLink, sealRequestWaiting } from './seal';

const STALL_TEXT = {
  rejected: 'người ký đã từ chối yêu cầu ký, hoặc chữ ký trả về không hợp lệ.',
  expired: 'các yêu cầu ký đều hết hạn mà người ký chưa xác nhận.',
  outage: 'dịch vụ ký số không phản hồi.',
} as const;

async function showSeal(deps: SigningDeps, secret: string, error?: { message: string; status: number }) {
  const found = await inspectSigningLink(deps, secret, 'seal');
  if (!found.link) return signingProblemPage(found.problem, found.problem === 'unknown' ? 404 : 410);
  const pdf = await deps.files.getSigningFile(found.report.reportId, 'signer');
  const signatures = await deps.pades.verify(pdf, await deps.keys.trustedRoots());
  const name = `${found.documentNumber.replace(/^Số: /, '').replace(/\//g, '-')}-da-ky.pdf`;
  return sealPage({
    subject: found.subject,
    documentNumber: found.documentNumber,
    signatures,
    pdfUrl: await deps.files.presignSigningFile(found.report.reportId, 'signer', 300, name),
    expiresAt: found.link.expiresAt,
    error: error?.message,
    status: error?.status,
    pending: sealRequestWaiting(found.report.signing, found.link.linkHash, deps.now()),
  });
}

/** The văn thư's link to apply the organization's signature, and the compiler's link to retry or stop a stalled signing. */
export const signingRoutes: Route<SigningDeps>[] = [
  {
    method: 'GET',
    path: '/seal/:secret',
    surface: 'public',
    handle: (deps, req) => showSeal(deps, req.params.secret),
  },
  {
    method: 'POST',
    path: '/seal/:secret',
    surface: 'public',
    async handle(deps, req) {
      try {
        const done = await applySeal(deps, req.params.secret);
        // Pending on the organization's device: the page again, its button now collecting the signature.
        if (done.pending) return showSeal(deps, req.params.secret);
        return sealedPage(done.documentNumber);
      } catch (err) {
        // A refused signature shows the page again with the reason; nothing was kept or released.
        if (!(err instanceof AppError) || err.status === 404) throw err;
        return showSeal(deps, req.params.secret, { message: err.message, status: err.status });
      }
    },
  },
  {
    method: 'GET',
    path: '/signing/:secret',
    surface: 'public',
    async handle(deps, req) {
      const found = await inspectSigningLink(deps, req.params.secret, 'sign-retry');
      if (!found.link) return signingProblemPage(found.problem, found.problem === 'unknown' ? 404 : 410);
      const stalled = found.report.signing?.signer.stalled;
      const reason = `${STALL_TEXT[stalled?.reason ?? 'expired']}${stalled?.detail ? ` (${stalled.detail})` : ''}`;
      return retryPage({ subject: found.subject, documentNumber: found.documentNumber, reason });
    },
  },
  {
    method: 'POST',
    path: '/signing/:secret',
    surface: 'public',
    async handle(deps, req) {
      const form = req.form();
      const action = form.get('action') === 'stop' ? 'stop' : 'retry';
      const done = await chooseSigningRetry(deps, req.params.secret, action, form.get('comment') ?? undefined);
      return retryDonePage(done.action);
    },
  },
];

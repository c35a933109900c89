import { newLinkSecret, sha256 } from '../../crypto';
import type { ApprovalState } from '../../domain/approval-plan';
import { reportSubject } from '../../domain/report-subject';
import { ConflictError, NotFoundError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import { publicUrl } from '../../http/url';
import type { ReportRecord } from '../../ports';
import type { ClerkLink } from '../release/ports';
import { sealOverdueEmail, sealRequestEmail, signingStalledEmail } from './emails';
import type { SigningDeps } from './ports';
import { organizationRef } from './signer-refs';
import { assertAllValid, SignatureInvalidError, summary } from './verification';

/** How long the compiler's "thử ký lại" link lasts (the state machine's wait ends at the same time). */
export const RETRY_LINK_DAYS = 14;
/** The error AwaitSigningRetry fails with when the compiler stops the report. */
export const SIGNING_ABANDONED_ERROR = 'SigningAbandoned';

const docNumber = (deps: Pick<SigningDeps, 'organization'>, r: ReportRecord) =>
  r.numbering ? formatDocumentNumber(r.numbering.number, deps.organization.documentCode) : '';

async function getReport(deps: Pick<SigningDeps, 'repo'>, reportId: string) {
  const report = await deps.repo.getReport(reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${reportId}.`);
  return report;
}

/** The previous mail's links stop working when a new one goes out (reminder, escalation, retried task). */
async function supersedeLinks(deps: SigningDeps, report: ReportRecord) {
  for (const hash of report.signing?.links ?? []) await deps.register.consumeClerkLink(hash);
}

async function newLink(deps: SigningDeps, p: Omit<ClerkLink, 'linkHash' | 'createdAt' | 'status'>) {
  const { secret, hash } = newLinkSecret();
  await deps.register.putClerkLink({ ...p, linkHash: hash, createdAt: deps.now().toISOString(), status: 'pending' });
  return { secret, hash };
}

/**
 * AwaitSeal / AwaitSigningRetry task (waitForTaskToken): mails the văn thư the link to apply the
 * organization's signature (request, reminder; at escalation the compiler is told too), or the
 * compiler the link to retry or stop a stalled signing. Earlier links of the report stop working.
 */
export async function requestSigningAction(
  deps: SigningDeps,
  input: { taskToken: string; reportId: string; periodId: string; kind: 'seal' | 'retry'; seal?: ApprovalState },
) {
  const report = await getReport(deps, input.reportId);
  await supersedeLinks(deps, report);
  const subject = reportSubject(deps.template, input.periodId);
  const documentNumber = docNumber(deps, report);
  const now = deps.now();
  let link: { secret: string; hash: string };
  if (input.kind === 'seal') {
    const clerk = deps.organization.recordsClerk!;
    const seal = input.seal ?? report.signing?.seal;
    const expiresAt = seal?.deadline ?? new Date(now.getTime() + 86400_000).toISOString();
    link = await newLink(deps, {
      reportId: input.reportId,
      periodId: input.periodId,
      taskToken: input.taskToken,
      clerkEmail: clerk.email,
      expiresAt,
      purpose: 'seal',
    });
    const reason = seal?.phase === 'escalated' ? 'escalation' : seal?.phase === 'reminded' ? 'reminder' : 'request';
    await deps.mailer.send(
      sealRequestEmail({
        to: [clerk.email],
        clerkName: clerk.name,
        reason,
        documentNumber,
        subject,
        signerName: report.signing?.signedBy?.signerName ?? deps.organization.signing?.signer.name ?? '',
        url: publicUrl(deps.baseUrl, `/seal/${link.secret}`),
        expiresAt,
      }),
    );
    if (reason === 'escalation') {
      await deps.mailer.send(
        sealOverdueEmail({ to: [deps.organization.compiler.email], subject, documentNumber, clerkName: clerk.name, deadline: expiresAt }),
      );
    }
  } else {
    const stalled = report.signing?.signer.stalled;
    link = await newLink(deps, {
      reportId: input.reportId,
      periodId: input.periodId,
      taskToken: input.taskToken,
      clerkEmail: deps.organization.compiler.email,
      expiresAt: new Date(now.getTime() + RETRY_LINK_DAYS * 86400_000).toISOString(),
      purpose: 'sign-retry',
    });
    await deps.mailer.send(
      signingStalledEmail({
        to: [deps.organization.compiler.email],
        subject,
        documentNumber,
        reason: stalled?.reason ?? 'expired',
        detail: stalled?.detail ?? '',
        url: publicUrl(deps.baseUrl, `/signing/${link.secret}`),
      }),
    );
  }
  await deps.repo.updateReport(input.reportId, {
    signing: { ...(report.signing ?? { signer: { phase: 'request', attempt: 1, requests: 0, waitedSeconds: 0 } }), links: [link.hash] },
    updatedAt: now.toISOString(),
  });
  await deps.repo.appendReportAudit(input.reportId, {
    at: now.toISOString(),
    actor: 'system',
    action: input.kind === 'seal' ? 'email.seal-request' : 'email.signing-stalled',
    detail: {},
  });
  return { sent: 1 };
}

/** A signing link as its page needs it, or why it cannot be used. */
export async function inspectSigningLink(deps: SigningDeps, secret: string, purpose: 'seal' | 'sign-retry') {
  const link = await deps.register.getClerkLink(sha256(secret));
  if (!link || link.purpose !== purpose) return { problem: 'unknown' as const };
  if (link.status !== 'pending') return { problem: 'used' as const };
  if (new Date(link.expiresAt) <= deps.now()) return { problem: 'expired' as const };
  const report = await getReport(deps, link.reportId);
  return { link, report, documentNumber: docNumber(deps, report), subject: reportSubject(deps.template, link.periodId) };
}

/**
 * The văn thư's POST: the organization's signature over the PDF the person signed (the seal image
 * over the left third of the person's), through the organization's provider. Both signatures are
 * verified before anything is kept: a PDF that fails is never released, and the link stays usable
 * (it is claimed only once both signatures verify).
 */
export async function applySeal(deps: SigningDeps, secret: string) {
  const found = await inspectSigningLink(deps, secret, 'seal');
  if (!found.link) throw new NotFoundError('Liên kết ký số không còn hiệu lực.');
  const { link, report } = found;
  const signing = report.signing;
  if (!signing?.signerPdfSha256 || !signing.box)
    throw new ConflictError('Báo cáo chưa có chữ ký của người có thẩm quyền; chưa thể ký số của cơ quan.');
  const roots = await deps.keys.trustedRoots();
  const signerPdf = await deps.files.getSigningFile(report.reportId, 'signer');
  const refuse = async (message: string) => {
    await deps.repo.appendReportAudit(report.reportId, {
      at: deps.now().toISOString(),
      actor: link.clerkEmail,
      action: 'seal.refused',
      detail: { error: message },
    });
    return new SignatureInvalidError(message);
  };
  if (sha256(signerPdf) !== signing.signerPdfSha256) {
    throw await refuse('Tệp PDF đã được người có thẩm quyền ký bị thay đổi sau khi ký. Văn bản không được phát hành.');
  }
  try {
    assertAllValid(await deps.pades.verify(signerPdf, roots), 1);
  } catch (err) {
    throw await refuse((err as Error).message);
  }
  const ref = organizationRef(deps);
  const provider = deps.keys.provider(ref);
  const credential = await provider.credential(ref);
  const prepared = await deps.pades.prepare(signerPdf, {
    appearance: 'organization',
    credential,
    box: signing.box,
    image: await deps.keys.image(ref),
    signingTime: deps.now(),
    signerName: deps.organization.agencyName,
    reason: `Phát hành ${found.documentNumber.replace(/^Số: /, '')}`,
  });
  const outcome = await provider.requestSignature(ref, {
    requestId: `${report.reportId}#seal#${link.linkHash.slice(0, 16)}`,
    digest: prepared.digest,
    description: `Ký số của ${deps.organization.agencyName} cho báo cáo ${found.documentNumber}`,
  });
  if (outcome.status !== 'signed') {
    const why =
      outcome.status === 'rejected'
        ? `bị từ chối (${outcome.reason})`
        : outcome.status === 'expired'
          ? 'đã hết hạn'
          : 'cần xác nhận trên thiết bị; vui lòng xác nhận rồi bấm ký lại';
    throw new ConflictError(`Dịch vụ ký số của cơ quan chưa ký: yêu cầu ${why}. Chưa có thay đổi nào.`);
  }
  const sealed = await deps.pades.complete(prepared.state, outcome.signature, credential);
  const verified = await deps.pades.verify(sealed, roots);
  try {
    assertAllValid(verified, 2);
  } catch (err) {
    throw await refuse((err as Error).message);
  }
  // Two presses at once: the link is claimed before anything is kept, so one seal wins. Should a
  // step below fail, the wait's next reminder mails a fresh link.
  if (!(await deps.register.consumeClerkLink(link.linkHash))) throw new ConflictError('Liên kết này vừa được dùng; không có thay đổi nào.');
  await deps.files.putSigningFile(report.reportId, 'sealed', sealed, 'application/pdf');
  const at = deps.now().toISOString();
  const sealedBy = { ...summary(verified[1]), by: link.clerkEmail };
  await deps.repo.updateReport(report.reportId, { signing: { ...signing, sealedBy, signedPdfSha256: sha256(sealed) }, updatedAt: at });
  await deps.workflow.succeed(link.taskToken, { sealed: true, by: link.clerkEmail });
  await deps.repo.appendReportAudit(report.reportId, {
    at,
    actor: link.clerkEmail,
    action: 'seal.applied',
    detail: { signatures: verified.map(summary), sha256: sha256(sealed) },
  });
  return { documentNumber: found.documentNumber };
}

/** The compiler's answer to a stalled signing: a fresh series of requests (same number), or stop the report. */
export async function chooseSigningRetry(deps: SigningDeps, secret: string, action: 'retry' | 'stop', comment?: string) {
  const found = await inspectSigningLink(deps, secret, 'sign-retry');
  if (!found.link) throw new NotFoundError('Liên kết không còn hiệu lực.');
  const { link } = found;
  if (!(await deps.register.consumeClerkLink(link.linkHash))) throw new ConflictError('Liên kết này vừa được dùng.');
  if (action === 'retry') await deps.workflow.succeed(link.taskToken, { action: 'retry', by: link.clerkEmail });
  else await deps.workflow.fail(link.taskToken, SIGNING_ABANDONED_ERROR, comment?.trim() || 'Bộ phận tổng hợp dừng báo cáo ở bước ký số.');
  await deps.repo.appendReportAudit(link.reportId, {
    at: deps.now().toISOString(),
    actor: link.clerkEmail,
    action: action === 'retry' ? 'signing.retry' : 'signing.stopped',
    detail: { comment },
  });
  return { action, documentNumber: found.documentNumber };
}

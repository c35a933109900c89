import { newLinkSecret, sha256 } from '../../crypto';
import type { ApprovalState } from '../../domain/approval-plan';
import { reportSubject } from '../../domain/report-subject';
import { ConflictError, NotFoundError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import { publicUrl } from '../../http/url';
import type { ReportRecord, ReportSigning } from '../../ports';
import type { SignatureOutcome } from '../../signing/ports';
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
  const asked = await askSeal(deps, { report, signing, link, signerPdf, documentNumber: found.documentNumber });
  if (asked.status === 'pending') return { pending: true as const, documentNumber: found.documentNumber };
  const { prepared, outcome } = asked;
  const ref = organizationRef(deps);
  const sealed = await deps.pades.complete(prepared.state, outcome.signature, await deps.keys.provider(ref).credential(ref));
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
  const { sealRequest: _done, ...kept } = signing;
  await deps.repo.updateReport(report.reportId, { signing: { ...kept, sealedBy, signedPdfSha256: sha256(sealed) }, updatedAt: at });
  await deps.workflow.succeed(link.taskToken, { sealed: true, by: link.clerkEmail });
  await deps.repo.appendReportAudit(report.reportId, {
    at,
    actor: link.clerkEmail,
    action: 'seal.applied',
    detail: { signatures: verified.map(summary), sha256: sha256(sealed) },
  });
  return { pending: false as const, documentNumber: found.documentNumber };
}

/** How long a request waits on the organization's device before the văn thư's press asks anew. */
export const SEAL_REQUEST_MINUTES = 10;

/** Whether a request asked through this link still waits on the organization's device. */
export function sealRequestWaiting(signing: ReportSigning | undefined, linkHash: string, now: Date): boolean {
  const waiting = signing?.sealRequest;
  return waiting?.linkHash === linkHash && now.getTime() - new Date(waiting.requestedAt).getTime() < SEAL_REQUEST_MINUTES * 60_000;
}

/**
 * The organization's signature from its provider: a request pending on the organization's device
 * (same link, not too old) is collected with the PDF prepared for it; otherwise the signer's PDF is
 * prepared anew and asked for. A provider that signs at once (local, KMS) answers in this call.
 */
async function askSeal(
  deps: SigningDeps,
  o: { report: ReportRecord; signing: ReportSigning; link: ClerkLink; signerPdf: Buffer; documentNumber: string },
): Promise<{ status: 'pending' } | { status: 'signed'; prepared: { state: Buffer }; outcome: { signature: Uint8Array } }> {
  const { report, signing, link } = o;
  const ref = organizationRef(deps);
  const provider = deps.keys.provider(ref);
  const waiting = signing.sealRequest;
  const now = deps.now();
  const fresh = sealRequestWaiting(signing, link.linkHash, now);
  let outcome: SignatureOutcome;
  let state: Buffer;
  if (waiting && fresh) {
    const kept = JSON.parse((await deps.files.getSigningFile(report.reportId, 'seal-prepared')).toString('utf8')) as { state: string };
    state = Buffer.from(kept.state, 'base64');
    outcome = await provider.pollSignature(ref, waiting.transactionId);
  } else {
    const prepared = await deps.pades.prepare(o.signerPdf, {
      appearance: 'organization',
      credential: await provider.credential(ref),
      box: signing.box!,
      image: await deps.keys.image(ref),
      signingTime: now,
      signerName: deps.organization.agencyName,
      reason: `Phát hành ${o.documentNumber.replace(/^Số: /, '')}`,
    });
    state = prepared.state;
    outcome = await provider.requestSignature(ref, {
      // One id per request: an expired or refused request is never answered by asking again under its id.
      requestId: `${report.reportId}#seal#${link.linkHash.slice(0, 16)}#${now.getTime()}`,
      digest: prepared.digest,
      description: `Ký số của ${deps.organization.agencyName} cho báo cáo ${o.documentNumber}`,
    });
    if (outcome.status === 'pending') {
      const kept = Buffer.from(JSON.stringify({ state: state.toString('base64') }));
      await deps.files.putSigningFile(report.reportId, 'seal-prepared', kept, 'application/json');
    }
  }
  if (outcome.status === 'pending') {
    const sealRequest =
      waiting && fresh ? waiting : { transactionId: outcome.transactionId, requestedAt: now.toISOString(), linkHash: link.linkHash };
    await deps.repo.updateReport(report.reportId, { signing: { ...signing, sealRequest }, updatedAt: now.toISOString() });
    if (!(waiting && fresh)) {
      await deps.repo.appendReportAudit(report.reportId, {
        at: now.toISOString(),
        actor: link.clerkEmail,
        action: 'seal.requested',
        detail: { transactionId: outcome.transactionId },
      });
    }
    return { status: 'pending' };
  }
  if (outcome.status !== 'signed') {
    const { sealRequest: _gone, ...rest } = signing;
    if (waiting) await deps.repo.updateReport(report.reportId, { signing: rest, updatedAt: now.toISOString() });
    const why = outcome.status === 'rejected' ? `bị từ chối (${outcome.reason})` : 'đã hết hạn';
    throw new ConflictError(`Dịch vụ ký số của cơ quan chưa ký: yêu cầu ${why}. Bấm ký lại để gửi yêu cầu mới; chưa có thay đổi nào.`);
  }
  return { status: 'signed', prepared: { state }, outcome };
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

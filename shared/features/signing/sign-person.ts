import { sha256 } from '../../crypto';
import { type ApprovalState, enterStep, planApproval } from '../../domain/approval-plan';
import { reportSubject } from '../../domain/report-subject';
import {
  afterAnswer,
  initialSigner,
  type ProviderAnswer,
  requested,
  retrySeries,
  SIGN_POLL_SECONDS,
  type SignerStep,
  sealStep,
} from '../../domain/signing-plan';
import { NotFoundError, ValidationError } from '../../errors';
import { formatDocumentNumber } from '../../format/vi';
import { publicUrl } from '../../http/url';
import type { ReportRecord, ReportSigning } from '../../ports';
import type { SignatureOutcome } from '../../signing/ports';
import { approvedReport, finalRenderInput } from '../release/final-input';
import { reserveNumber } from '../release/numbering';
import { signerRequestEmail } from './emails';
import type { SigningDeps } from './ports';
import { organizationRef, personRef } from './signer-refs';
import { assertAllValid, summary } from './verification';

/**
 * SignDocument's answer, read by the SigningNext? choice:
 * - release: nothing (more) to sign — the organization does not sign, or both signatures are on;
 * - number: clerk numbering mode, the văn thư enters the number first (AwaitSigningNumber);
 * - poll: the person has not confirmed yet (WaitForSigner, then SignDocument again);
 * - seal: the person signed; the văn thư's wait (AwaitSeal, `timeoutSeconds` to its next timer event);
 * - retry: the signing stalled; the compiler chooses "thử ký lại" or to stop (AwaitSigningRetry);
 * - expired: the văn thư let the wait run out (SealExpired).
 */
export interface SigningPlan {
  next: 'release' | 'number' | 'poll' | 'seal' | 'retry' | 'expired';
  timeoutSeconds: number;
  seal?: ApprovalState;
}

const RELEASE: SigningPlan = { next: 'release', timeoutSeconds: 1 };

const isTimer = (e: unknown) => (e as { Error?: string } | undefined)?.Error === 'States.Timeout';
const isRetry = (e: unknown) => (e as { action?: string } | undefined)?.action === 'retry';

/**
 * SignDocument task: where the signed original stands, from the report's record (so a resumed
 * execution continues from it), advanced by the event the machine brings. The number is reserved
 * in the register before the person signs, so the PDF the person signs — and then the văn thư —
 * shows it (docs/adr/0043-signing-flow.md); a retried or re-requested signing reuses it.
 */
export async function signDocument(
  deps: SigningDeps,
  input: { reportId: string; periodId: string; previous?: SigningPlan; event?: unknown },
): Promise<SigningPlan> {
  const cfg = deps.organization.signing;
  if (!cfg) return RELEASE;
  let report = await deps.repo.getReport(input.reportId);
  if (!report) throw new NotFoundError(`Không tìm thấy báo cáo ${input.reportId}.`);
  if (report.status === 'released') return RELEASE;
  // An operator resumed a report whose signing had failed (e.g. SealTimedOut): it is awaiting its signatures again.
  if (report.status === 'failed') {
    report = await deps.repo.updateReport(report.reportId, { status: 'awaiting_approval', updatedAt: deps.now().toISOString() });
  }
  // Both images are checked before a number is reserved or anyone is asked: a real provider
  // without the organization's stored image stops here with a Vietnamese message for the compiler.
  if (!report.signing) {
    await deps.keys.image(personRef(deps));
    await deps.keys.image(organizationRef(deps));
  }
  if (!report.numbering) {
    if (deps.organization.numbering.mode === 'clerk') return { next: 'number', timeoutSeconds: 1 };
    report = { ...report, numbering: await reserveNumber(deps, report) };
  }
  const signing: ReportSigning = report.signing ?? { signer: initialSigner() };
  if (signing.signedPdfSha256) return RELEASE;
  if (signing.signer.phase === 'signed') return planSeal(deps, report, signing, input);

  const previous = input.previous?.next;
  if (previous === 'retry' && isRetry(input.event)) signing.signer = retrySeries(signing.signer);
  if (signing.signer.phase === 'stalled') return { next: 'retry', timeoutSeconds: 1 };

  let step: SignerStep;
  // A request sent but never acknowledged (outage, crash) is sent again with the same id; after a round, that round counts.
  let polled = signing.signer.phase === 'pending' && previous === 'poll';
  if (signing.signer.phase === 'pending' && signing.signer.transactionId) {
    const answer = await ask(() => deps.keys.provider(personRef(deps)).pollSignature(personRef(deps), signing.signer.transactionId!));
    step = afterAnswer(signing.signer, answer.answer, previous === 'poll', deps.now());
    if (answer.signature) return signed(deps, report, { ...signing, signer: step.state }, answer.signature);
  } else {
    step = { state: signing.signer, action: 'request' };
  }
  // A re-request after an expiry goes out at once, bounded by MAX_SIGN_REQUESTS.
  while (step.action === 'request') {
    const sent = await requestPersonSignature(deps, report, { ...signing, signer: step.state });
    signing.signer = sent.signing.signer;
    signing.box = sent.signing.box;
    if (sent.signature) return signed(deps, report, signing, sent.signature);
    const next = afterAnswer(signing.signer, sent.answer, polled, deps.now());
    polled = false;
    if (next.state.phase === 'pending') await mailSigner(deps, report, next.state.transactionId, step.notify);
    step = { ...next, notify: next.notify };
  }
  await save(deps, report.reportId, { ...signing, signer: step.state });
  if (step.action === 'stall') {
    await deps.repo.appendReportAudit(report.reportId, {
      at: deps.now().toISOString(),
      actor: 'system',
      action: 'signing.stalled',
      detail: { reason: step.state.stalled?.reason, detail: step.state.stalled?.detail },
    });
    return { next: 'retry', timeoutSeconds: 1 };
  }
  return { next: 'poll', timeoutSeconds: SIGN_POLL_SECONDS };
}

/** A provider call; a thrown error (unreachable, 5xx) is an outage the planner rides out. */
async function ask(call: () => Promise<SignatureOutcome>): Promise<{ answer: ProviderAnswer; signature?: Uint8Array }> {
  try {
    const outcome = await call();
    if (outcome.status === 'signed') return { answer: { status: 'signed' }, signature: outcome.signature };
    if (outcome.status === 'pending') return { answer: { status: 'pending', transactionId: outcome.transactionId } };
    return { answer: outcome };
  } catch (err) {
    return { answer: { status: 'outage', message: `Dịch vụ ký số không phản hồi: ${(err as Error)?.message ?? String(err)}` } };
  }
}

interface PreparedRecord {
  digest: string;
  state: string;
}

/**
 * Renders the final PDF (number and date printed), prepares the person's signature field with
 * their image in the signature box, and asks their provider. The prepared state is kept before
 * the request goes out, under the request's number: a retried task asks again with the same id.
 */
async function requestPersonSignature(deps: SigningDeps, report: ReportRecord, signing: ReportSigning) {
  const cfg = deps.organization.signing!;
  const ref = personRef(deps);
  const provider = deps.keys.provider(ref);
  let state = signing.signer;
  let box = signing.box;
  if (state.phase !== 'pending') {
    const now = deps.now();
    state = requested(state, now);
    const aggregate = await approvedReport(deps, report);
    const rendered = await deps.pades.renderFinal(finalRenderInput(deps, report, report.numbering!, aggregate));
    box = rendered.signatureBox;
    const credential = await provider.credential(ref);
    const prepared = await deps.pades.prepare(rendered.pdf, {
      appearance: 'person',
      credential,
      box,
      image: await deps.keys.image(ref),
      signingTime: now,
      signerName: cfg.signer.name,
      reason: `Ký ban hành ${formatDocumentNumber(report.numbering!.number, deps.organization.documentCode).replace(/^Số: /, '')}`,
    });
    const record: PreparedRecord = { digest: Buffer.from(prepared.digest).toString('base64'), state: prepared.state.toString('base64') };
    await deps.files.putSigningFile(report.reportId, `prepared-${state.requests}`, Buffer.from(JSON.stringify(record)), 'application/json');
    await save(deps, report.reportId, { ...signing, signer: state, box });
  }
  const prepared = await loadPrepared(deps, report.reportId, state.requests);
  const number = formatDocumentNumber(report.numbering!.number, deps.organization.documentCode).replace(/^Số: /, '');
  const answer = await ask(() =>
    provider.requestSignature(ref, {
      requestId: `${report.reportId}#sign#${state.requests}`,
      digest: prepared.digest,
      description: `Ký báo cáo số ${number} của ${deps.organization.agencyName}`,
    }),
  );
  await deps.repo.appendReportAudit(report.reportId, {
    at: deps.now().toISOString(),
    actor: 'system',
    action: 'signing.requested',
    detail: { request: state.requests, attempt: state.attempt, provider: cfg.signer.provider.provider, answer: answer.answer.status },
  });
  return { signing: { ...signing, signer: state, box }, answer: answer.answer, signature: answer.signature };
}

async function loadPrepared(deps: SigningDeps, reportId: string, request: number) {
  const raw = JSON.parse((await deps.files.getSigningFile(reportId, `prepared-${request}`)).toString('utf8')) as PreparedRecord;
  return { digest: new Uint8Array(Buffer.from(raw.digest, 'base64')), state: Buffer.from(raw.state, 'base64') };
}

/** The person's raw signature came back: embed it, verify the PDF, keep it for the văn thư. */
async function signed(deps: SigningDeps, report: ReportRecord, signing: ReportSigning, signature: Uint8Array): Promise<SigningPlan> {
  const ref = personRef(deps);
  const credential = await deps.keys.provider(ref).credential(ref);
  const prepared = await loadPrepared(deps, report.reportId, signing.signer.requests);
  const pdf = await deps.pades.complete(prepared.state, signature, credential);
  const verified = await deps.pades.verify(pdf, await deps.keys.trustedRoots());
  // A signature that does not verify is never passed on: the signing stalls and the compiler is told.
  try {
    assertAllValid(verified, 1);
  } catch (err) {
    const at = deps.now().toISOString();
    const stalled = { reason: 'rejected' as const, detail: (err as Error).message, at };
    await save(deps, report.reportId, { ...signing, signer: { ...signing.signer, phase: 'stalled', stalled } });
    await deps.repo.appendReportAudit(report.reportId, {
      at,
      actor: 'system',
      action: 'signing.invalid',
      detail: { error: stalled.detail },
    });
    return { next: 'retry', timeoutSeconds: 1 };
  }
  await deps.files.putSigningFile(report.reportId, 'signer', pdf, 'application/pdf');
  const next: ReportSigning = {
    ...signing,
    signer: { ...signing.signer, phase: 'signed' },
    signedBy: summary(verified[0]),
    signerPdfSha256: sha256(pdf),
  };
  await save(deps, report.reportId, next);
  await deps.repo.appendReportAudit(report.reportId, {
    at: deps.now().toISOString(),
    actor: deps.organization.signing!.signer.email,
    action: 'signing.signed',
    detail: { signer: next.signedBy, sha256: next.signerPdfSha256 },
  });
  return planSeal(deps, report, next, {});
}

/** The văn thư's wait: entered once, then moved along the reminder → escalation → expiry ladder by timer events. */
async function planSeal(
  deps: SigningDeps,
  report: ReportRecord,
  signing: ReportSigning,
  input: { previous?: SigningPlan; event?: unknown },
): Promise<SigningPlan> {
  const clerk = deps.organization.recordsClerk;
  if (!clerk) throw new ValidationError('Chưa khai báo văn thư (recordsClerk) để ký số của cơ quan.');
  const chain = [sealStep(clerk, deps.organization.compiler, deps.organization.signing!.sealHours)];
  const now = deps.now();
  const timer = input.previous?.next === 'seal' && isTimer(input.event);
  const seal =
    timer && signing.seal ? planApproval(chain, signing.seal, { kind: 'timer' }, now) : (signing.seal ?? enterStep(chain, 0, now));
  await save(deps, report.reportId, { ...signing, seal });
  if (timer) {
    const action = seal.expired ? 'seal.expired' : seal.phase === 'reminded' ? 'seal.reminder_due' : 'seal.escalated';
    await deps.repo.appendReportAudit(report.reportId, {
      at: now.toISOString(),
      actor: 'system',
      action,
      detail: { deadline: seal.deadline },
    });
  }
  if (seal.expired) return { next: 'expired', timeoutSeconds: 1, seal };
  return { next: 'seal', timeoutSeconds: seal.timeoutSeconds, seal };
}

async function mailSigner(deps: SigningDeps, report: ReportRecord, transactionId: string | undefined, notify?: 'reminder' | 'escalation') {
  const cfg = deps.organization.signing!;
  const to = [cfg.signer.email, ...(notify === 'escalation' ? [deps.organization.compiler.email] : [])];
  const sent = await deps.mailer.send(
    signerRequestEmail({
      to,
      signerName: cfg.signer.name,
      reason: notify ?? 'request',
      documentNumber: formatDocumentNumber(report.numbering!.number, deps.organization.documentCode),
      subject: reportSubject(deps.template, report.periodId),
      // The local system's stand-in for the person's phone.
      confirmUrl: deps.local && transactionId ? publicUrl(deps.baseUrl, `/_local/sign/${encodeURIComponent(transactionId)}`) : undefined,
    }),
  );
  await deps.repo.appendReportAudit(report.reportId, {
    at: deps.now().toISOString(),
    actor: 'system',
    action: `email.signing_${notify ?? 'request'}`,
    detail: { to, messageId: sent.messageId },
  });
}

async function save(deps: SigningDeps, reportId: string, signing: ReportSigning) {
  await deps.repo.updateReport(reportId, { signing, updatedAt: deps.now().toISOString() });
}

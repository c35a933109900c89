import type { Issue, Submission } from '../../domain/submission';
import { periodNameInText } from '../../format/period-name';
import { vnDateTime } from '../../format/vietnam-time';
import type { UploadRecord } from '../../ports';
import { TransientError } from '../../transient-errors';
import { receiptEmail } from './emails';
import { boundIssues } from './limits';
import type { IngestDeps, UploadClaim } from './ports';
import { receiptNumber } from './receipt';
import { type IntakeKey, submissionBodyKey } from './upload-keys';

/** An upload this attempt holds the claim of. */
export interface ClaimedUpload {
  key: string;
  etag: string;
  claim: UploadClaim;
  /** The upload's receivedAt: the first claim's time, the same for every retry. */
  receivedAt: string;
  owner?: IntakeKey;
}

export interface Accepted {
  submission: Submission;
  warnings: Issue[];
  sha256: string;
  detail: Record<string, unknown>;
}

const MAX_VERSION_ATTEMPTS = 200;
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt + 1, 8)));

/** The id of an upload across retries (key + ETag). */
const uploadIdOf = (u: ClaimedUpload) => `${u.key}@${u.etag}`;

/**
 * The division's version for this upload: the one the claim recorded, else the version item a
 * crashed attempt wrote for it, else n+1 by a conditional put (a lost race tries n+2, …). Never a
 * counter: a number exists only as a version item, so numbers have no gaps.
 */
async function versionFor(deps: IngestDeps, u: ClaimedUpload & { owner: IntakeKey }, a: Accepted): Promise<number> {
  if (u.claim.version !== undefined) return u.claim.version;
  const { periodId, divisionId } = u.owner;
  const uploadId = uploadIdOf(u);
  for (let attempt = 0; attempt < MAX_VERSION_ATTEMPTS; attempt++) {
    const slots = await deps.ledger.versionSlots(periodId, divisionId);
    const mine = slots.find((s) => s.uploadId === uploadId);
    if (mine) return deps.ledger.setClaimVersion(u.key, u.etag, mine.version);
    const next = slots.reduce((m, s) => Math.max(m, s.version), 0) + 1;
    const put = await deps.ledger.putVersion({
      divisionId,
      periodId,
      version: next,
      submission: a.submission,
      submittedAt: u.receivedAt,
      rawKey: u.key,
      sha256: a.sha256,
      warnings: a.warnings,
      uploadId,
      bodyKey: submissionBodyKey(periodId, divisionId, next),
    });
    if (put) return deps.ledger.setClaimVersion(u.key, u.etag, next);
    await pause(attempt);
  }
  throw new TransientError(`No free version for ${periodId}/${divisionId} after ${MAX_VERSION_ATTEMPTS} attempts`);
}

/**
 * Commits an accepted upload in an order where every step can be repeated by a later attempt:
 * version → body in S3 → current pointer (forward only) → intake state → audit (deterministic
 * id) → outcome. The outcome is written last: while it is missing, the claim stays `processing`
 * and a retry or the reconciler completes the same version.
 */
export async function commitAcceptance(deps: IngestDeps, u: ClaimedUpload & { owner: IntakeKey }, a: Accepted): Promise<UploadRecord> {
  const { periodId, divisionId } = u.owner;
  const warnings = boundIssues(a.warnings, 'cảnh báo');
  const version = await versionFor(deps, u, { ...a, warnings: warnings.issues });
  const bodyKey = submissionBodyKey(periodId, divisionId, version);
  await deps.blobs.put(bodyKey, JSON.stringify(a.submission), 'application/json');
  await deps.ledger.advanceCurrent({
    divisionId,
    periodId,
    version,
    submission: a.submission,
    submittedAt: u.receivedAt,
    rawKey: u.key,
    sha256: a.sha256,
    warnings: warnings.issues,
    bodyKey,
  });
  await deps.intake?.recordUploadOutcome(periodId, divisionId, { status: 'accepted', at: u.receivedAt, key: u.key });
  await deps.ledger.appendPeriodAuditOnce(periodId, `submission.accepted#${u.etag}#${u.key}`, {
    at: u.receivedAt,
    actor: divisionId,
    action: 'submission.accepted',
    detail: { key: u.key, etag: u.etag, sha256: a.sha256, version, warnings: warnings.total, ...a.detail },
  });
  await sendReceipt(deps, u, { divisionId, periodId, version, sha256: a.sha256, warnings: warnings.total });
  return deps.ledger.completeUpload({
    key: u.key,
    etag: u.etag,
    status: 'accepted',
    divisionId,
    periodId,
    receivedAt: u.receivedAt,
    sha256: a.sha256,
    errors: [],
    warnings: warnings.issues,
    ...(warnings.total > warnings.issues.length ? { warningCount: warnings.total } : {}),
    version,
  });
}

/**
 * The receipt by email to the division's contacts, before the outcome is written: a retry of a
 * crashed attempt may send it twice, never not at all. Its audit entry is written once.
 */
async function sendReceipt(
  deps: IngestDeps,
  u: ClaimedUpload,
  r: { divisionId: string; periodId: string; version: number; sha256: string; warnings: number },
) {
  const division = deps.organization.divisions.find((d) => d.id === r.divisionId);
  const to = division?.contacts.map((c) => c.email) ?? [];
  if (!division || !to.length) return;
  const receipt = receiptNumber(r);
  const sent = await deps.mailer.send(
    receiptEmail({
      to,
      contactNames: division.contacts.map((c) => c.name),
      divisionName: division.name,
      agencyName: deps.organization.agencyName,
      periodLabel: periodNameInText(r.periodId),
      receipt,
      receivedAt: vnDateTime(u.receivedAt),
      version: r.version,
      warnings: r.warnings,
    }),
  );
  await deps.ledger.appendPeriodAuditOnce(r.periodId, `email.receipt#${u.etag}#${u.key}`, {
    at: u.receivedAt,
    actor: 'system',
    action: 'email.receipt',
    detail: { division: r.divisionId, to, receipt, version: r.version, messageId: sent.messageId },
  });
}

/** Records a refusal: bounded errors with their total; the division's current submission is never touched. */
export async function commitRefusal(deps: IngestDeps, u: ClaimedUpload, sha256: string, errors: Issue[]): Promise<UploadRecord> {
  const bounded = boundIssues(errors, 'lỗi');
  const known = u.owner && deps.organization.divisions.some((d) => d.id === u.owner?.divisionId);
  if (u.owner && known) {
    await deps.intake?.recordUploadOutcome(u.owner.periodId, u.owner.divisionId, { status: 'refused', at: u.receivedAt, key: u.key });
  }
  return deps.ledger.completeUpload({
    key: u.key,
    etag: u.etag,
    status: 'refused',
    divisionId: u.owner?.divisionId ?? '',
    periodId: u.owner?.periodId ?? '',
    receivedAt: u.receivedAt,
    sha256,
    errors: bounded.issues,
    ...(bounded.total > bounded.issues.length ? { errorCount: bounded.total } : {}),
    warnings: [],
  });
}

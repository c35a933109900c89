import { sha256 } from '../../crypto';
import { type Issue, validateSubmission } from '../../domain/submission';
import type { ObjectInfo, UploadRecord } from '../../ports';
import { isTransientAwsError, TransientError } from '../../transient-errors';
import { inviteAllowsUpload, lockedMessage } from './guard';
import { divisionHistory } from './history';
import { type Accepted, type ClaimedUpload, commitAcceptance, commitRefusal } from './ingest-commit';
import { decodeJsonUpload } from './json-upload';
import { MAX_UPLOAD_BYTES } from './limits';
import { lockState } from './lock';
import type { IngestDeps } from './ports';
import { CONTENT_TYPES, type IntakeKey, parseIntakeKey } from './upload-keys';
import { parseSubmissionXlsx, XlsxFormatError } from './xlsx';

export { MAX_UPLOAD_BYTES } from './limits';

/**
 * How long a claim protects an attempt. Longer than the ingest function's timeout (30 s), so an
 * attempt whose claim is taken over is certainly dead (docs/adr/0031-records-exactly-once.md).
 */
export const INGEST_LEASE_MS = 5 * 60_000;

export type { IngestDeps } from './ports';

/** Another attempt holds the upload's claim: its outcome comes from that attempt (or the reconciler). */
export interface IngestInProgress {
  key: string;
  etag: string;
  status: 'processing';
  leaseUntil?: string;
}

export type IngestResult = UploadRecord | IngestInProgress;

export interface IngestOptions {
  /** Take over `processing` claims of other owners (a local runtime after a restart). */
  takeOverOtherOwners?: boolean;
}

function refusal(rule: string, field: string, label: string, message: string): Issue {
  return { rule, field, label, message, severity: 'error' };
}

/**
 * Ingests one uploaded object exactly once per (key, ETag), however many events arrive: the
 * first attempt claims it; the others answer `processing` or the recorded outcome. The local S3
 * emulator enforces no POST policy, and on AWS a leaked policy could be replayed, so size, type
 * and ownership are re-checked here. A refused upload never touches the division's current
 * submission. Transient S3/DynamoDB faults are thrown as TransientError so the event is retried.
 */
export async function ingestUpload(
  deps: IngestDeps,
  object: { key: string; etag?: string },
  opts: IngestOptions = {},
): Promise<IngestResult> {
  try {
    return await ingestClaimed(deps, object, opts);
  } catch (err) {
    if (isTransientAwsError(err) && !(err instanceof TransientError)) {
      throw new TransientError(`Ingest of ${object.key} met a transient fault: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  }
}

async function ingestClaimed(deps: IngestDeps, object: { key: string; etag?: string }, opts: IngestOptions): Promise<IngestResult> {
  const head = await deps.blobs.head(object.key);
  if (!head) throw new Error(`Uploaded object ${object.key} not found`);
  const etag = head.etag || object.etag || '';
  const owner = parseIntakeKey(object.key);
  const now = deps.now();
  const claimed = await deps.ledger.claimUpload({
    key: object.key,
    etag,
    divisionId: owner?.divisionId ?? '',
    periodId: owner?.periodId ?? '',
    now: now.toISOString(),
    leaseUntil: new Date(now.getTime() + INGEST_LEASE_MS).toISOString(),
    owner: deps.claimOwner ?? 'ingest',
    takeOverOtherOwners: opts.takeOverOtherOwners,
  });
  if (claimed.kind === 'done') return claimed.outcome;
  if (claimed.kind === 'busy') return { key: object.key, etag, status: 'processing', leaseUntil: claimed.claim.leaseUntil };

  const upload: ClaimedUpload = {
    key: object.key,
    etag,
    claim: claimed.claim,
    receivedAt: claimed.claim.claimedAt ?? now.toISOString(),
    owner,
  };
  const verdict = await judge(deps, upload, head);
  const outcome =
    'errors' in verdict
      ? await commitRefusal(deps, upload, verdict.sha256, verdict.errors)
      : await commitAcceptance(deps, { ...upload, owner: verdict.owner }, verdict);
  deps.metrics?.count(outcome.status === 'accepted' ? 'SubmissionsAccepted' : 'SubmissionsRefused');
  return outcome;
}

/** Whether the upload is accepted, judged at the time S3 stored it (a late retry judges the same). */
async function judge(
  deps: IngestDeps,
  upload: ClaimedUpload,
  head: ObjectInfo,
): Promise<{ errors: Issue[]; sha256: string } | (Accepted & { owner: IntakeKey })> {
  const { blobs, template, organization } = deps;
  const { owner } = upload;
  const at = new Date(head.lastModified ?? upload.receivedAt);
  const refuse = (errors: Issue[], hash = '') => ({ errors, sha256: hash });
  if (!owner) {
    return refuse([refusal('key', 'key', 'Tệp', 'Đường dẫn tệp không đúng quy định (raw/<kỳ>/<đơn vị>/<tên>.json hoặc .xlsx).')]);
  }
  if (!organization.divisions.some((d) => d.id === owner.divisionId)) {
    return refuse([refusal('division.unknown', 'division', 'Đơn vị', `Đơn vị "${owner.divisionId}" không có trong danh sách đơn vị.`)]);
  }
  // Who sent it: an invite valid for this division and quarter (then the lock applies), or the
  // operator path (/api/uploads, IAM on AWS), which the compiler may use after the cut-off.
  if (owner.inviteHash) {
    const intake = deps.intake;
    const allowed = intake
      ? await inviteAllowsUpload({ intake, now: () => at }, owner.inviteHash, owner.periodId, owner.divisionId)
      : { ok: false as const, message: 'Không kiểm tra được liên kết nộp báo cáo.' };
    if (!allowed.ok) return refuse([refusal('invite.invalid', 'file', 'Liên kết nộp báo cáo', allowed.message)]);
    if (!intake) return refuse([refusal('invite.invalid', 'file', 'Liên kết nộp báo cáo', 'Không kiểm tra được liên kết nộp báo cáo.')]);
    const lock = lockState(owner.periodId, at, await intake.getState(owner.periodId, owner.divisionId));
    if (lock.locked) return refuse([refusal('period.locked', 'period', 'Kỳ báo cáo', lockedMessage(owner.periodId, lock))]);
  }
  if (head.size > MAX_UPLOAD_BYTES) {
    return refuse([refusal('file.size', 'file', 'Tệp', `Tệp quá lớn (${head.size} byte); tối đa ${MAX_UPLOAD_BYTES} byte.`)]);
  }
  const type = (head.contentType ?? '').split(';')[0].trim();
  if (type !== CONTENT_TYPES[owner.kind]) {
    const wanted = owner.kind === 'xlsx' ? `tệp Excel .xlsx (${CONTENT_TYPES.xlsx})` : `tệp JSON (${CONTENT_TYPES.json})`;
    return refuse([refusal('file.type', 'file', 'Tệp', `Loại tệp "${type || 'không rõ'}" không được nhận; cần ${wanted}.`)]);
  }

  const body = await blobs.get(upload.key);
  const hash = sha256(body);
  let raw: unknown;
  if (owner.kind === 'xlsx') {
    try {
      raw = await parseSubmissionXlsx(template, body);
    } catch (err) {
      if (!(err instanceof XlsxFormatError)) throw err;
      return refuse([refusal('file.xlsx', 'file', 'Tệp', err.message)], hash);
    }
  } else {
    const decoded = decodeJsonUpload(body);
    if (!decoded.ok) return refuse([refusal(decoded.rule, 'file', 'Tệp', decoded.message)], hash);
    raw = decoded.value;
  }

  const history = await divisionHistory(deps.repo, owner.periodId, owner.divisionId);
  const result = validateSubmission(template, raw, {
    organization,
    expectedDivision: owner.divisionId,
    expectedPeriod: owner.periodId,
    history,
  });
  if (!result.ok || !result.submission) return refuse(result.errors, hash);
  return {
    owner,
    submission: result.submission,
    warnings: result.warnings,
    sha256: hash,
    detail: {
      versionId: head.versionId,
      via: owner.inviteHash ? 'invite' : 'operator',
      ...(owner.inviteHash ? { invite: owner.inviteHash.slice(0, 12) } : {}),
    },
  };
}

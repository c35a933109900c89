import type { Organization } from '../../config/schema';
import { sha256 } from '../../crypto';
import { type Issue, validateSubmission } from '../../domain/submission';
import type { ReportTemplate } from '../../domain/template';
import type { AuditLog, BlobStore, Clock, SubmissionStore, UploadRecord } from '../../ports';
import { inviteAllowsUpload, lockedMessage } from './guard';
import { divisionHistory } from './history';
import { decodeJsonUpload } from './json-upload';
import { lockState } from './lock';
import type { IntakeStore } from './ports';
import { CONTENT_TYPES, parseIntakeKey } from './upload-keys';
import { parseSubmissionXlsx, XlsxFormatError } from './xlsx';

export const MAX_UPLOAD_BYTES = 1024 * 1024;

export interface IngestDeps {
  repo: SubmissionStore & AuditLog;
  blobs: BlobStore;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
  /**
   * Invites, lock and per-division intake state. Uploads named after an invite are refused
   * without it (they cannot be checked); operator uploads do not need it.
   */
  intake?: IntakeStore;
}

function refusal(rule: string, field: string, label: string, message: string): Issue {
  return { rule, field, label, message, severity: 'error' };
}

/**
 * Ingests one uploaded object. The local S3 emulator enforces no POST policy, and on AWS a
 * leaked policy could be replayed, so size, type and ownership are re-checked here.
 * A refused upload never touches the division's current submission.
 */
export async function ingestUpload(deps: IngestDeps, object: { key: string; etag?: string }): Promise<UploadRecord> {
  const { repo, blobs, template, organization, now } = deps;
  const receivedAt = now().toISOString();
  const owner = parseIntakeKey(object.key);
  const base = {
    key: object.key,
    divisionId: owner?.divisionId ?? '',
    periodId: owner?.periodId ?? '',
    receivedAt,
    warnings: [] as Issue[],
  };

  const refuse = async (etag: string, hash: string, errors: Issue[]) => {
    const rec: UploadRecord = { ...base, etag, sha256: hash, status: 'refused', errors };
    await repo.recordUpload(rec);
    if (owner && organization.divisions.some((d) => d.id === owner.divisionId)) {
      await deps.intake?.recordUploadOutcome(owner.periodId, owner.divisionId, { status: 'refused', at: receivedAt, key: object.key });
    }
    return (await repo.getUpload(object.key)) ?? rec;
  };

  const head = await blobs.head(object.key);
  if (!head) throw new Error(`Uploaded object ${object.key} not found`);
  const etag = head.etag || object.etag || '';
  const earlier = await repo.getUpload(object.key);
  if (earlier && earlier.etag === etag) return earlier; // redelivered event: same outcome

  if (!owner) {
    return refuse(etag, '', [refusal('key', 'key', 'Tệp', 'Đường dẫn tệp không đúng quy định (raw/<kỳ>/<đơn vị>/<tên>.json hoặc .xlsx).')]);
  }
  if (!organization.divisions.some((d) => d.id === owner.divisionId)) {
    return refuse(etag, '', [
      refusal('division.unknown', 'division', 'Đơn vị', `Đơn vị "${owner.divisionId}" không có trong danh sách đơn vị.`),
    ]);
  }
  // Who sent it: an invite valid for this division and quarter (then the lock applies), or the
  // operator path (/api/uploads, IAM on AWS), which the compiler may use after the cut-off.
  const via = owner.inviteHash ? 'invite' : 'operator';
  if (owner.inviteHash) {
    const allowed = deps.intake
      ? await inviteAllowsUpload({ intake: deps.intake, now }, owner.inviteHash, owner.periodId, owner.divisionId)
      : { ok: false as const, message: 'Không kiểm tra được liên kết nộp báo cáo.' };
    if (!allowed.ok) return refuse(etag, '', [refusal('invite.invalid', 'file', 'Liên kết nộp báo cáo', allowed.message)]);
    const lock = lockState(owner.periodId, now(), await deps.intake!.getState(owner.periodId, owner.divisionId));
    if (lock.locked) return refuse(etag, '', [refusal('period.locked', 'period', 'Kỳ báo cáo', lockedMessage(owner.periodId, lock))]);
  }
  if (head.size > MAX_UPLOAD_BYTES) {
    return refuse(etag, '', [refusal('file.size', 'file', 'Tệp', `Tệp quá lớn (${head.size} byte); tối đa ${MAX_UPLOAD_BYTES} byte.`)]);
  }
  const type = (head.contentType ?? '').split(';')[0].trim();
  if (type !== CONTENT_TYPES[owner.kind]) {
    const wanted = owner.kind === 'xlsx' ? `tệp Excel .xlsx (${CONTENT_TYPES.xlsx})` : `tệp JSON (${CONTENT_TYPES.json})`;
    return refuse(etag, '', [refusal('file.type', 'file', 'Tệp', `Loại tệp "${type || 'không rõ'}" không được nhận; cần ${wanted}.`)]);
  }

  const body = await blobs.get(object.key);
  const hash = sha256(body);
  let raw: unknown;
  if (owner.kind === 'xlsx') {
    try {
      raw = await parseSubmissionXlsx(template, body);
    } catch (err) {
      if (!(err instanceof XlsxFormatError)) throw err;
      return refuse(etag, hash, [refusal('file.xlsx', 'file', 'Tệp', err.message)]);
    }
  } else {
    const decoded = decodeJsonUpload(body);
    if (!decoded.ok) return refuse(etag, hash, [refusal(decoded.rule, 'file', 'Tệp', decoded.message)]);
    raw = decoded.value;
  }

  const history = await divisionHistory(repo, owner.periodId, owner.divisionId);
  const result = validateSubmission(template, raw, {
    organization,
    expectedDivision: owner.divisionId,
    expectedPeriod: owner.periodId,
    history,
  });
  if (!result.ok || !result.submission) return refuse(etag, hash, result.errors);

  const version = await repo.addSubmission({
    divisionId: owner.divisionId,
    periodId: owner.periodId,
    submission: result.submission,
    submittedAt: receivedAt,
    rawKey: object.key,
    sha256: hash,
    warnings: result.warnings,
  });
  const rec: UploadRecord = { ...base, etag, sha256: hash, status: 'accepted', errors: [], warnings: result.warnings, version };
  await repo.recordUpload(rec);
  await deps.intake?.recordUploadOutcome(owner.periodId, owner.divisionId, { status: 'accepted', at: receivedAt, key: object.key });
  await repo.appendPeriodAudit(owner.periodId, {
    at: receivedAt,
    actor: owner.divisionId,
    action: 'submission.accepted',
    detail: {
      key: object.key,
      etag,
      versionId: head.versionId,
      sha256: hash,
      version,
      warnings: result.warnings.length,
      via,
      ...(owner.inviteHash ? { invite: owner.inviteHash.slice(0, 12) } : {}),
    },
  });
  return rec;
}

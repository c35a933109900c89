import type { Organization } from '../config/schema';
import { isQuarter, parsePeriod } from '../domain/periods';
import { type Issue, validateSubmission } from '../domain/submission';
import type { ReportTemplate } from '../domain/template';
import type { BlobStore, Clock, Repository, UploadRecord } from '../ports';
import { parseUploadKey, sha256 } from './keys';

export const MAX_UPLOAD_BYTES = 1024 * 1024;
export const UPLOAD_CONTENT_TYPE = 'application/json';

export interface IngestDeps {
  repo: Repository;
  blobs: BlobStore;
  template: ReportTemplate;
  organization: Organization;
  now: Clock;
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
  const owner = parseUploadKey(object.key);
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
    return (await repo.getUpload(object.key)) ?? rec;
  };

  const head = await blobs.head(object.key);
  if (!head) throw new Error(`Uploaded object ${object.key} not found`);
  const etag = head.etag || object.etag || '';
  const earlier = await repo.getUpload(object.key);
  if (earlier && earlier.etag === etag) return earlier; // redelivered event: same outcome

  if (!owner) {
    return refuse(etag, '', [refusal('key', 'key', 'Tệp', 'Đường dẫn tệp không đúng quy định (raw/<kỳ>/<đơn vị>/<tên>.json).')]);
  }
  if (!organization.divisions.some((d) => d.id === owner.divisionId)) {
    return refuse(etag, '', [refusal('division.unknown', 'division', 'Đơn vị', `Đơn vị "${owner.divisionId}" không có trong danh sách đơn vị.`)]);
  }
  if (head.size > MAX_UPLOAD_BYTES) {
    return refuse(etag, '', [
      refusal('file.size', 'file', 'Tệp', `Tệp quá lớn (${head.size} byte); tối đa ${MAX_UPLOAD_BYTES} byte.`),
    ]);
  }
  const type = (head.contentType ?? '').split(';')[0].trim();
  if (type !== UPLOAD_CONTENT_TYPE) {
    return refuse(etag, '', [
      refusal('file.type', 'file', 'Tệp', `Loại tệp "${type || 'không rõ'}" không được nhận; cần tệp JSON (${UPLOAD_CONTENT_TYPE}).`),
    ]);
  }

  const body = await blobs.get(object.key);
  const hash = sha256(body);
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(etag, hash, [refusal('file.json', 'file', 'Tệp', 'Tệp không phải JSON hợp lệ; hãy kiểm tra dấu ngoặc và dấu phẩy.')]);
  }

  const history = await earlierQuarters(repo, owner.periodId, owner.divisionId);
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
  await repo.appendAudit(`PERIOD#${owner.periodId}`, {
    at: receivedAt,
    actor: owner.divisionId,
    action: 'submission.accepted',
    detail: { key: object.key, etag, versionId: head.versionId, sha256: hash, version, warnings: result.warnings.length },
  });
  return rec;
}

/** The division's submissions of the earlier quarters of the same year (for outlier checks). */
async function earlierQuarters(repo: Repository, periodId: string, divisionId: string) {
  if (!isQuarter(periodId)) return [];
  const year = parsePeriod(periodId).year;
  const q = Number(periodId.slice(-1));
  const ids = Array.from({ length: q - 1 }, (_, i) => `${year}-Q${i + 1}`);
  if (ids.length === 0) return [];
  const subs = await repo.currentSubmissions(ids);
  return subs.filter((s) => s.divisionId === divisionId).map((s) => s.submission);
}

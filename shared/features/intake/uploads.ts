import { isQuarter } from '../../domain/periods';
import { ValidationError } from '../../errors';
import { MAX_UPLOAD_BYTES } from './limits';
import { type IntakeDeps, IntakeError, inspectInvite, inviteProblem } from './service';
import { CONTENT_TYPES, isUploadKeyOf, newIntakeUploadKey, type UploadKind } from './upload-keys';
import { type UploadStatus, uploadStatus } from './upload-status';

/**
 * The operator path (/api/uploads, IAM on AWS): a presigned POST bound to one key under the
 * division's prefix, with size and type conditions. Divisions upload through their invite instead.
 */
export async function presignOperatorUpload(
  deps: Pick<IntakeDeps, 'blobs' | 'organization' | 'now'>,
  input: { division?: unknown; period?: unknown; kind?: unknown },
) {
  const { division, period } = input;
  const kind = input.kind ?? 'json';
  if (typeof division !== 'string' || !division) throw new ValidationError('Thiếu mã đơn vị (division).');
  if (typeof period !== 'string') throw new ValidationError('Thiếu kỳ báo cáo (period).');
  if (!/^\d{4}-Q[1-4]$/.test(period)) throw new ValidationError('Kỳ báo cáo (period) phải có dạng 2021-Q1.');
  if (kind !== 'json' && kind !== 'xlsx') throw new ValidationError('Loại tệp (kind) phải là "json" hoặc "xlsx".');
  if (!deps.organization.divisions.some((d) => d.id === division)) {
    throw new ValidationError(`Đơn vị (division) "${division}" không có trong danh sách đơn vị.`);
  }
  if (!isQuarter(period)) throw new ValidationError('Kỳ báo cáo (period) phải là một quý, ví dụ 2021-Q1.');
  const key = newIntakeUploadKey(period, division, deps.now(), kind);
  const post = await deps.blobs.presignPost(key, { maxBytes: MAX_UPLOAD_BYTES, contentType: CONTENT_TYPES[kind], expiresInSeconds: 900 });
  return { key, ...post };
}

/** The status of an upload (outcome or "đang xử lý"), only for keys under the invite's own division and quarter. */
export async function inviteUploadStatus(deps: IntakeDeps, secret: string, key: string): Promise<UploadStatus> {
  const check = await inspectInvite(deps, secret);
  if (!check.ok) throw inviteProblem(check.problem);
  if (!isUploadKeyOf(key, check.invite.periodId, check.division.id)) throw new IntakeError('Tệp này không thuộc đơn vị.', 403);
  return uploadStatus(deps, key);
}

export function uploadKind(raw: unknown): UploadKind {
  const kind = raw ?? 'json';
  if (kind !== 'json' && kind !== 'xlsx') throw new IntakeError('Loại tệp phải là JSON hoặc Excel (.xlsx).');
  return kind;
}

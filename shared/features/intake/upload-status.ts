import { vnDateTime } from '../../format/vietnam-time';
import type { BlobStore, Clock, SubmissionStore, UploadRecord } from '../../ports';

/** After this long without an outcome the answer says so, and that the reconciler will resolve it. */
export const STALE_UPLOAD_MS = 60_000;

export type UploadStatus =
  | { state: 'done'; record: UploadRecord }
  /** In S3, no outcome yet. `stale`: longer than STALE_UPLOAD_MS. */
  | { state: 'processing'; key: string; stale: boolean; message: string }
  | { state: 'unknown'; key: string; message: string };

/**
 * What a clerk's poll sees: the outcome, or "đang xử lý" while the object waits for ingest (the
 * answer never hangs). Past a minute it explains that the file is safe and the periodic
 * reconciler will check it, so nothing needs to be sent again.
 */
export async function uploadStatus(
  deps: { repo: Pick<SubmissionStore, 'getUpload'>; blobs: Pick<BlobStore, 'head'>; now: Clock },
  key: string,
): Promise<UploadStatus> {
  const record = await deps.repo.getUpload(key);
  if (record) return { state: 'done', record };
  const head = await deps.blobs.head(key);
  if (!head) return { state: 'unknown', key, message: 'Chưa có kết quả cho tệp này: hệ thống chưa nhận được tệp.' };
  const storedAt = head.lastModified ? new Date(head.lastModified) : undefined;
  const stale = !!storedAt && deps.now().getTime() - storedAt.getTime() > STALE_UPLOAD_MS;
  const message =
    storedAt && stale
      ? `Tệp đã được nhận lúc ${vnDateTime(storedAt)} nhưng sau hơn 1 phút vẫn chưa có kết quả kiểm tra. ` +
        'Tệp không bị mất: hệ thống tự kiểm tra lại định kỳ (tối đa khoảng 15 phút), không cần gửi lại. Vui lòng quay lại xem kết quả sau.'
      : 'Đang xử lý: hệ thống đã nhận tệp và đang kiểm tra số liệu, vui lòng chờ trong giây lát.';
  return { state: 'processing', key, stale, message };
}

/** The HTTP answer of a status poll: 200 with the outcome, 202 while processing, 404 before the file arrives. */
export function uploadStatusAnswer(s: UploadStatus): { statusCode: number; body: unknown } {
  if (s.state === 'done') return { statusCode: 200, body: s.record };
  if (s.state === 'processing') return { statusCode: 202, body: { key: s.key, status: 'processing', stale: s.stale, message: s.message } };
  return { statusCode: 404, body: { key: s.key, message: s.message } };
}

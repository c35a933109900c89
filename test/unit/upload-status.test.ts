import { describe, expect, it } from 'vitest';
import { STALE_UPLOAD_MS, uploadStatus, uploadStatusAnswer } from '../../shared/features/intake/upload-status';
import type { UploadRecord } from '../../shared/ports';

const storedAt = new Date('2021-03-10T02:00:00Z');
const deps = (record: UploadRecord | undefined, inS3: boolean, nowMs: number) => ({
  repo: { getUpload: async () => record },
  blobs: { head: async () => (inS3 ? { size: 1, etag: 'e', lastModified: storedAt.toISOString() } : undefined) },
  now: () => new Date(storedAt.getTime() + nowMs),
});

describe('the status a clerk polls', () => {
  it('answers the outcome once there is one', async () => {
    const rec = { key: 'k', status: 'accepted', version: 2 } as UploadRecord;
    expect(uploadStatusAnswer(await uploadStatus(deps(rec, true, 0), 'k'))).toEqual({ statusCode: 200, body: rec });
  });

  it('answers 202 "đang xử lý" while the object waits for its outcome', async () => {
    const answer = uploadStatusAnswer(await uploadStatus(deps(undefined, true, 5_000), 'k'));
    expect(answer).toMatchObject({ statusCode: 202, body: { status: 'processing', stale: false } });
    expect((answer.body as { message: string }).message).toContain('Đang xử lý');
  });

  it('after a minute without an outcome, says the file is safe and will be checked again', async () => {
    const answer = uploadStatusAnswer(await uploadStatus(deps(undefined, true, STALE_UPLOAD_MS + 1), 'k'));
    expect(answer).toMatchObject({ statusCode: 202, body: { status: 'processing', stale: true } });
    expect((answer.body as { message: string }).message).toMatch(/09:00 ngày 10\/03\/2021.*không bị mất.*không cần gửi lại/);
  });

  it('answers 404 before the file is in storage', async () => {
    expect(uploadStatusAnswer(await uploadStatus(deps(undefined, false, 0), 'k')).statusCode).toBe(404);
  });
});

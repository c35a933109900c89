import { z } from 'zod';
import { MAX_UPLOAD_BYTES, UPLOAD_CONTENT_TYPE } from '../app/ingest';
import { newUploadKey } from '../app/keys';
import { isQuarter } from '../domain/periods';
import { formPage } from '../web/pages';
import { type ApiDeps, json, type Route } from './router';

const UploadRequest = z.object({
  division: z.string({ error: 'Thiếu mã đơn vị (division).' }).min(1, 'Thiếu mã đơn vị (division).'),
  period: z.string({ error: 'Thiếu kỳ báo cáo (period).' }).regex(/^\d{4}-Q[1-4]$/, 'Kỳ báo cáo (period) phải có dạng 2021-Q1.'),
});

/** A presigned POST bound to one key under the division's prefix, with size and type conditions. */
export async function presignUpload(deps: ApiDeps, body: unknown) {
  const parsed = UploadRequest.safeParse(body);
  if (!parsed.success) return json(400, { message: parsed.error.issues[0]?.message ?? 'Dữ liệu không hợp lệ.' });
  const { division, period } = parsed.data;
  if (!deps.organization.divisions.some((d) => d.id === division)) {
    return json(400, { message: `Đơn vị (division) "${division}" không có trong danh sách đơn vị.` });
  }
  if (!isQuarter(period)) return json(400, { message: 'Kỳ báo cáo (period) phải là một quý, ví dụ 2021-Q1.' });
  const key = newUploadKey(period, division, deps.now());
  const post = await deps.blobs.presignPost(key, { maxBytes: MAX_UPLOAD_BYTES, contentType: UPLOAD_CONTENT_TYPE, expiresInSeconds: 900 });
  return json(200, { key, ...post });
}

async function uploadStatus(deps: ApiDeps, key: string | undefined) {
  const rec = key ? await deps.repo.getUpload(key) : undefined;
  return rec ? json(200, rec) : json(404, { message: 'Chưa có kết quả cho tệp này.' });
}

export const intakeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/form',
    surface: 'public',
    handle: (deps, req) => formPage({ organization: deps.organization, division: req.query.division, period: req.query.period }),
  },
  { method: 'POST', path: '/uploads', surface: 'public', handle: (deps, req) => presignUpload(deps, req.json()) },
  { method: 'GET', path: '/uploads/status', surface: 'public', handle: (deps, req) => uploadStatus(deps, req.query.key) },
];

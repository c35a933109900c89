/**
 * Browser side of every upload, for the invite form and the compiler's generic form alike:
 * ask the API for a presigned POST, send the file straight to S3, then poll the ingest outcome.
 * Each caller words the failures for its own page.
 */
import type { Issue } from '../../../domain/submission';

export interface UploadOutcomeRecord {
  status: 'accepted' | 'refused';
  version?: number;
  /** For the receipt: when it was received and its fingerprint. */
  receivedAt?: string;
  sha256?: string;
  errors: Issue[];
  warnings: Issue[];
}

export type UploadResult =
  | { ok: true; record: UploadOutcomeRecord }
  /** presign: the API refused (its message); send: S3 answered an error status; pending: no outcome in time. */
  | { ok: false; stage: 'presign'; message?: string }
  | { ok: false; stage: 'send'; status: number }
  /** The server's last word ("đang xử lý…", or that the file is safe and will be checked again). */
  | { ok: false; stage: 'pending'; message?: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function presignedUpload(p: {
  /** Where to ask for the presigned POST, and the JSON body to ask with. */
  presign: { url: string; body: unknown };
  /** The outcome's URL for an object key. */
  statusUrl: (key: string) => string;
  file: Blob;
  fileName: string;
  /** Polls, every half second. */
  attempts: number;
  /** Called once the file is in S3, while the outcome is awaited. */
  onSent?: () => void;
  /** Called with the server's "đang xử lý" message while the outcome is awaited. */
  onProcessing?: (message: string) => void;
}): Promise<UploadResult> {
  const r = await fetch(p.presign.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(p.presign.body),
  });
  const post = (await r.json()) as { message?: string; key: string; url: string; fields: Record<string, string> };
  if (!r.ok) return { ok: false, stage: 'presign', message: post.message };
  const fd = new FormData();
  for (const [k, v] of Object.entries(post.fields)) fd.append(k, v);
  fd.append('file', p.file, p.fileName);
  const up = await fetch(post.url, { method: 'POST', body: fd });
  if (!up.ok && up.status !== 204) return { ok: false, stage: 'send', status: up.status };
  p.onSent?.();
  let message: string | undefined;
  for (let i = 0; i < p.attempts; i++) {
    await sleep(500);
    const s = await fetch(p.statusUrl(post.key));
    if (s.status === 404) continue;
    if (s.status === 202) {
      message = ((await s.json()) as { message?: string }).message;
      if (message) p.onProcessing?.(message);
      continue;
    }
    if (!s.ok) break;
    return { ok: true, record: (await s.json()) as UploadOutcomeRecord };
  }
  return { ok: false, stage: 'pending', message };
}

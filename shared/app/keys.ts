import { createHash, randomBytes } from 'node:crypto';

/** Upload keys: raw/<quarter>/<division>/<time>-<rand>.json — the division prefix is the ownership boundary. */
const RAW_KEY = /^raw\/(\d{4}-Q[1-4])\/([A-Z0-9]{2,12})\/[A-Za-z0-9._-]+\.json$/;

export function newUploadKey(periodId: string, divisionId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15);
  return `raw/${periodId}/${divisionId}/${stamp}-${randomBytes(4).toString('hex')}.json`;
}

export function parseUploadKey(key: string): { periodId: string; divisionId: string } | undefined {
  const m = RAW_KEY.exec(key);
  return m ? { periodId: m[1], divisionId: m[2] } : undefined;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Opaque link secret for emails; only its hash is ever stored. */
export function newLinkSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret) };
}

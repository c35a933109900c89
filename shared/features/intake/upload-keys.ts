import { randomBytes } from 'node:crypto';

const JSON_TYPE = 'application/json';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type UploadKind = 'json' | 'xlsx';
export const CONTENT_TYPES: Record<UploadKind, string> = { json: JSON_TYPE, xlsx: XLSX_TYPE };

/**
 * Upload keys: raw/<quarter>/<division>/<name>.<json|xlsx>. An upload through an invite link is
 * named n-<sha256 of the link secret>-<time>-<rand>; any other name came from the operator path
 * (/api/uploads, IAM on AWS). The presigned POST pins the exact key, so only the API can choose
 * a name (the local S3 emulator enforces the policy too, infra/local/s3-gate.ts); ingest checks again.
 */
const KEY = /^raw\/(\d{4}-Q[1-4])\/([A-Z0-9]{2,12})\/([A-Za-z0-9._-]+)\.(json|xlsx)$/;
const INVITE_NAME = /^n-([0-9a-f]{64})-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$/;

export interface IntakeKey {
  periodId: string;
  divisionId: string;
  kind: UploadKind;
  /** Hash of the invite the upload was presigned for; absent on the operator path. */
  inviteHash?: string;
}

export function newIntakeUploadKey(periodId: string, divisionId: string, now: Date, kind: UploadKind, inviteHash?: string): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15);
  const name = `${inviteHash ? `n-${inviteHash}-` : ''}${stamp}-${randomBytes(4).toString('hex')}`;
  return `raw/${periodId}/${divisionId}/${name}.${kind}`;
}

/** Whether an object key lies under a division's own prefix for a quarter. */
export function isUploadKeyOf(key: string, periodId: string, divisionId: string): boolean {
  return key.startsWith(`raw/${periodId}/${divisionId}/`);
}

export function parseIntakeKey(key: string): IntakeKey | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const kind = m[4] as UploadKind;
  const invite = INVITE_NAME.exec(m[3]);
  // A name that starts like an invite upload but is malformed must not pass as an operator upload.
  if (!invite && m[3].startsWith('n-')) return undefined;
  return { periodId: m[1], divisionId: m[2], kind, ...(invite ? { inviteHash: invite[1] } : {}) };
}

/** Where the body of version n of a division's quarter is kept: submissions/<quarter>/<division>/v0001.json. */
export function submissionBodyKey(periodId: string, divisionId: string, version: number): string {
  return `submissions/${periodId}/${divisionId}/v${String(version).padStart(4, '0')}.json`;
}

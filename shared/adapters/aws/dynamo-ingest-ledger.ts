import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, IngestLedger, UploadClaim, VersionSlot } from '../../features/intake/ports';
import type { AuditEntry, StoredSubmission, UploadRecord } from '../../ports';
import { DynamoTable, stripKeys } from './dynamo-table';

/**
 * Ingest's records in the single table, each written by one conditional single-item write
 * (docs/adr/0031-records-exactly-once.md):
 *   (<o>#<t> = organization # report type, through scopedPk)
 *   RAW#<o>#<t>#<s3 key>    / UPLOAD               claim (status processing, lease, owner, version) → outcome
 *   PERIOD#<o>#<t>#<period> / DIV#<div>#V#<0001>   version n of a division's quarter (uploadId, bodyKey; body in S3)
 *   PERIOD#<o>#<t>#<period> / DIV#<div>            current pointer (moves forward only)
 *   PERIOD#<o>#<t>#<period> / AUDIT#<at>#<id>      audit entry under a deterministic id
 */
const FINAL = new Set(['accepted', 'refused']);
const CLAIM_NAMES = { '#s': 'status', '#k': 'key', '#o': 'owner', '#e': 'etag', '#l': 'leaseUntil', '#c': 'claimedAt' };

const isConditionFailure = (err: unknown) => err instanceof ConditionalCheckFailedException;
const pad = (n: number) => String(n).padStart(4, '0');

export class DynamoIngestLedger extends DynamoTable implements IngestLedger {
  private rawKey(key: string) {
    return { pk: this.scopedPk('RAW', key), sk: 'UPLOAD' };
  }

  async getClaim(key: string): Promise<UploadClaim | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.rawKey(key), ConsistentRead: true }));
    return res.Item ? stripKeys<UploadClaim>(res.Item) : undefined;
  }

  async claimUpload(p: Parameters<IngestLedger['claimUpload']>[0]): Promise<ClaimResult> {
    const takeOver = p.takeOverOtherOwners ? ' OR #o <> :owner' : '';
    const values = {
      ':processing': 'processing',
      ':etag': p.etag,
      ':key': p.key,
      ':d': p.divisionId,
      ':p': p.periodId,
      ':lease': p.leaseUntil,
      ':owner': p.owner,
      ':now': p.now,
    };
    const set = 'SET #s = :processing, #e = :etag, #k = :key, divisionId = :d, periodId = :p, #l = :lease, #o = :owner';
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.rawKey(p.key),
          // Fresh, or the same upload whose holder is gone (lease over, or another local process).
          UpdateExpression: `${set}, #c = if_not_exists(#c, :now)`,
          ConditionExpression: `attribute_not_exists(pk) OR (#e = :etag AND #s = :processing AND (#l < :now${takeOver}))`,
          ExpressionAttributeNames: CLAIM_NAMES,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'claimed', claim: stripKeys<UploadClaim>(res.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const held = await this.getClaim(p.key);
    if (!held) return this.claimUpload(p); // deleted in between: claim afresh
    if (held.etag === p.etag) {
      return FINAL.has(held.status) ? { kind: 'done', outcome: held as unknown as UploadRecord } : { kind: 'busy', claim: held };
    }
    // The key was overwritten with other content: a new upload once the old one is settled or its holder gone.
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.rawKey(p.key),
          UpdateExpression: `${set}, #c = :now REMOVE version, errors, warnings, errorCount, warningCount, sha256, receivedAt`,
          ConditionExpression: `#e = :old AND (#s <> :processing OR #l < :now${takeOver})`,
          ExpressionAttributeNames: CLAIM_NAMES,
          ExpressionAttributeValues: { ...values, ':old': held.etag },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'claimed', claim: stripKeys<UploadClaim>(res.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { kind: 'busy', claim: (await this.getClaim(p.key)) ?? held };
    }
  }

  async versionSlots(periodId: string, divisionId: string): Promise<VersionSlot[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': this.scopedPk('PERIOD', periodId), ':v': `DIV#${divisionId}#V#` },
      ProjectionExpression: '#v, uploadId, rawKey',
      ExpressionAttributeNames: { '#v': 'version' },
      ConsistentRead: true,
    });
    // Versions stored before claims existed have no uploadId: they can never match an upload being ingested.
    return items.map((i) => ({ version: Number(i.version), uploadId: String(i.uploadId ?? `legacy:${String(i.rawKey)}`) }));
  }

  async putVersion(sub: StoredSubmission & { uploadId: string; bodyKey: string }): Promise<boolean> {
    const { submission: _body, ...pointer } = sub;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.scopedPk('PERIOD', sub.periodId), sk: `DIV#${sub.divisionId}#V#${pad(sub.version)}`, ...pointer },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await this.markYear(sub.periodId);
    return true;
  }

  async setClaimVersion(key: string, etag: string, version: number): Promise<number> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.rawKey(key),
          UpdateExpression: 'SET #v = :v',
          ConditionExpression: '#e = :etag AND (attribute_not_exists(#v) OR #v = :v)',
          ExpressionAttributeNames: { '#v': 'version', '#e': 'etag' },
          ExpressionAttributeValues: { ':v': version, ':etag': etag },
        }),
      );
      return version;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await this.getClaim(key);
      if (held?.etag === etag && held.version !== undefined) return held.version;
      throw new Error(`Claim of ${key} changed while version ${version} was being recorded`);
    }
  }

  async advanceCurrent(sub: StoredSubmission & { bodyKey: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: this.scopedPk('PERIOD', sub.periodId), sk: `DIV#${sub.divisionId}` },
          UpdateExpression:
            'SET divisionId = :d, periodId = :p, #v = :v, submittedAt = :t, rawKey = :k, sha256 = :h, warnings = :w, bodyKey = :b REMOVE submission, versionCounter',
          // Only forward: a slower, older upload never replaces a newer current version.
          ConditionExpression: 'attribute_not_exists(#v) OR #v < :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: {
            ':d': sub.divisionId,
            ':p': sub.periodId,
            ':v': sub.version,
            ':t': sub.submittedAt,
            ':k': sub.rawKey,
            ':h': sub.sha256,
            ':w': sub.warnings,
            ':b': sub.bodyKey,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async completeUpload(rec: UploadRecord): Promise<UploadRecord> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.rawKey(rec.key), ...rec, claimedAt: rec.receivedAt },
          ConditionExpression: '#s = :processing AND #e = :etag',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'etag' },
          ExpressionAttributeValues: { ':processing': 'processing', ':etag': rec.etag },
        }),
      );
      return rec;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await this.getClaim(rec.key);
      if (held && held.etag === rec.etag && FINAL.has(held.status)) return held as unknown as UploadRecord;
      throw new Error(`Claim of ${rec.key} lost before its outcome was recorded`);
    }
  }

  async appendPeriodAuditOnce(quarterId: string, id: string, entry: AuditEntry): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.scopedPk('PERIOD', quarterId), sk: `AUDIT#${entry.at}#${id}`, ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalLink, AuditEntry, ReportRecord, Repository, StoredSubmission, UploadRecord } from '../../ports';
import { DynamoTable, SCOPE_FIELDS, stripKeys } from './dynamo-table';

/**
 * Single-table layout (docs/adr/0032); <o>#<t> = organization id # report type (scopedPk):
 *   PERIOD#<o>#<t>#<period> / DIV#<div>            current submission of a division (+ versionCounter)
 *   PERIOD#<o>#<t>#<period> / DIV#<div>#V#<0001>   every accepted version, kept
 *   RAW#<o>#<t>#<s3 key>    / UPLOAD               outcome of one uploaded object (idempotency by etag)
 *   REPORT#<o>#<t>#<id>     / META                 report state; gsi1 REPORTS#<o>#<t>#<period>
 *   REPORT#… or PERIOD#…    / AUDIT#<iso>#<rand>   append-only audit trail
 *   YEARS#<o>#<t>#ALL       / <year>               years with data (the home page; no scan)
 *   APPROVAL#<hash> / LINK                 decision link (global by hash, records orgId + reportType);
 *                                           gsi1 PENDING_APPROVAL#<o>#<t>#LINKS while pending
 *   DOWNLOAD#<hash> / LINK                 released-report download link (records orgId + reportType)
 *   COUNTER#<o>#<year> / DOCNO             atomic document number: one register per organization and year
 */
export class DynamoRepository extends DynamoTable implements Repository {
  async recordUpload(rec: UploadRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.scopedPk('RAW', rec.key), sk: 'UPLOAD', ...rec },
          // Same object delivered twice (EventBridge is at-least-once): keep the first outcome.
          ConditionExpression: 'attribute_not_exists(pk) OR etag <> :etag',
          ExpressionAttributeValues: { ':etag': rec.etag },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async getUpload(key: string): Promise<UploadRecord | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: this.scopedPk('RAW', key), sk: 'UPLOAD' } }));
    return res.Item ? stripKeys<UploadRecord>(res.Item) : undefined;
  }

  async addSubmission(sub: Omit<StoredSubmission, 'version'>): Promise<number> {
    const pk = this.scopedPk('PERIOD', sub.periodId);
    const currentKey = { pk, sk: `DIV#${sub.divisionId}` };
    const counter = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: currentKey,
        UpdateExpression: 'ADD versionCounter :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const version = Number(counter.Attributes?.versionCounter);
    if (version === 1) await this.markYear(sub.periodId);
    const stored: StoredSubmission = { ...sub, version };
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk, sk: `DIV#${sub.divisionId}#V#${String(version).padStart(4, '0')}`, ...stored },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: currentKey,
          UpdateExpression:
            'SET divisionId = :d, periodId = :p, version = :v, submission = :s, submittedAt = :t, rawKey = :k, sha256 = :h, warnings = :w',
          // A slower, older upload must never overwrite a newer current version.
          ConditionExpression: 'attribute_not_exists(version) OR version < :v',
          ExpressionAttributeValues: {
            ':d': sub.divisionId,
            ':p': sub.periodId,
            ':v': version,
            ':s': sub.submission,
            ':t': sub.submittedAt,
            ':k': sub.rawKey,
            ':h': sub.sha256,
            ':w': sub.warnings,
          },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    return version;
  }

  async currentSubmissions(periodIds: string[]): Promise<StoredSubmission[]> {
    const out: StoredSubmission[] = [];
    for (const periodId of periodIds) {
      const items = await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :div)',
        ExpressionAttributeValues: { ':pk': this.scopedPk('PERIOD', periodId), ':div': 'DIV#' },
      });
      for (const item of items) {
        if (String(item.sk).includes('#V#') || item.version === undefined) continue;
        out.push(stripKeys<StoredSubmission>(item, ['versionCounter']));
      }
    }
    return out;
  }

  async createReport(rec: ReportRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: this.scopedPk('REPORT', rec.reportId),
          sk: 'META',
          gsi1pk: this.scopedPk('REPORTS', rec.periodId),
          gsi1sk: rec.createdAt,
          ...rec,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.markYear(rec.periodId);
  }

  async getReport(reportId: string): Promise<ReportRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: this.scopedPk('REPORT', reportId), sk: 'META' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<ReportRecord>(res.Item) : undefined;
  }

  async updateReport(reportId: string, patch: Partial<ReportRecord>): Promise<ReportRecord> {
    const entries = Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'reportId');
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = entries.map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    const res = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: this.scopedPk('REPORT', reportId), sk: 'META' },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<ReportRecord>(res.Attributes ?? {});
  }

  async listReports(periodId: string): Promise<ReportRecord[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': this.scopedPk('REPORTS', periodId) },
      ScanIndexForward: false,
    });
    return items.map((i) => stripKeys<ReportRecord>(i));
  }

  async putApprovalLink(link: ApprovalLink): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `APPROVAL#${link.linkHash}`,
          sk: 'LINK',
          gsi1pk: this.scopedPk('PENDING_APPROVAL', 'LINKS'),
          gsi1sk: link.createdAt,
          ...link,
          ...this.scope,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getApprovalLink(linkHash: string): Promise<ApprovalLink | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `APPROVAL#${linkHash}`, sk: 'LINK' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<ApprovalLink>(res.Item, SCOPE_FIELDS) : undefined;
  }

  async consumeApprovalLink(linkHash: string, status: 'used' | 'superseded'): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APPROVAL#${linkHash}`, sk: 'LINK' },
          UpdateExpression: 'SET #s = :new REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':new': status, ':pending': 'pending' },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async pendingApprovals(): Promise<ApprovalLink[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': this.scopedPk('PENDING_APPROVAL', 'LINKS') },
    });
    return items.map((i) => stripKeys<ApprovalLink>(i, SCOPE_FIELDS));
  }

  async nextDocumentNumber(_orgId: string, year: number): Promise<number> {
    const res = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: this.scopedPk('COUNTER', String(year), false), sk: 'DOCNO' },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(res.Attributes?.value);
  }

  async putDownload(downloadHash: string, target: { reportId: string; key: string; fileName: string; expiresAt: string }) {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: `DOWNLOAD#${downloadHash}`, sk: 'LINK', ...target, ...this.scope } }),
    );
  }

  async getDownload(downloadHash: string) {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: `DOWNLOAD#${downloadHash}`, sk: 'LINK' } }));
    return res.Item ? stripKeys<{ reportId: string; key: string; fileName: string; expiresAt: string }>(res.Item, SCOPE_FIELDS) : undefined;
  }

  appendReportAudit(reportId: string, entry: AuditEntry): Promise<void> {
    return this.appendAudit(this.scopedPk('REPORT', reportId), entry);
  }

  appendPeriodAudit(quarterId: string, entry: AuditEntry): Promise<void> {
    return this.appendAudit(this.scopedPk('PERIOD', quarterId), entry);
  }

  listReportAudit(reportId: string): Promise<AuditEntry[]> {
    return this.listAudit(this.scopedPk('REPORT', reportId));
  }

  listPeriodAudit(quarterId: string): Promise<AuditEntry[]> {
    return this.listAudit(this.scopedPk('PERIOD', quarterId));
  }

  /** Years with submissions or reports of this organization and report type: one query, never a scan. */
  async yearsWithData(): Promise<number[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.scopedPk('YEARS', 'ALL') },
      ProjectionExpression: 'sk',
    });
    return items
      .map((i) => Number(i.sk))
      .filter((y) => Number.isInteger(y) && y > 0)
      .sort((x, y) => x - y);
  }

  /** Marks a year as having data (idempotent), for yearsWithData. */
  private async markYear(periodId: string): Promise<void> {
    const year = periodId.slice(0, 4);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: this.scopedPk('YEARS', 'ALL'), sk: year } }));
  }

  private async appendAudit(pk: string, entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk, sk: `AUDIT#${entry.at}#${randomBytes(4).toString('hex')}`, ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  private async listAudit(pk: string): Promise<AuditEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': pk, ':a': 'AUDIT#' },
    });
    return items.map((i) => stripKeys<AuditEntry>(i));
  }
}

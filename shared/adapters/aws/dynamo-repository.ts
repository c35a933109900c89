import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Submission } from '../../domain/submission';
import type { ApprovalLink, AuditEntry, BlobStore, ReportRecord, Repository, StoredSubmission, UploadRecord } from '../../ports';
import { DynamoReportGuards } from './dynamo-report-guards';
import { SCOPE_FIELDS, type StoreScope, stripKeys, ttlAfter } from './dynamo-table';

/**
 * Single-table layout (docs/adr/0032); <o>#<t> = organization id # report type (scopedPk):
 *   PERIOD#<o>#<t>#<period> / DIV#<div>            current submission of a division: a pointer (bodyKey) to its body in S3
 *   PERIOD#<o>#<t>#<period> / DIV#<div>#V#<0001>   every accepted version, kept (written by DynamoIngestLedger)
 *   RAW#<o>#<t>#<s3 key>    / UPLOAD               claim, then outcome, of one uploaded object (DynamoIngestLedger)
 *   REPORT#<o>#<t>#<id>     / META                 report state; gsi1 REPORTS#<o>#<t>#<period>
 *   REPORT#… or PERIOD#…    / AUDIT#<iso>#<rand>   append-only audit trail
 *   YEARS#<o>#<t>#ALL       / <year>               years with data (the home page; no scan)
 *   APPROVAL#<hash> / LINK                 decision link (global by hash, records orgId + reportType);
 *                                           gsi1 PENDING_APPROVAL#<o>#<t>#LINKS while pending
 *   DOWNLOAD#<hash> / LINK                 released-report download link (records orgId + reportType)
 *   REGISTER#<o>#<year>, CLERK#<hash>      the outgoing register and clerk links: see dynamo-register.ts
 *   REPORT#<o>#<t>#<id> / DECISION#…, ACTIVE#<o>#<t>#<period> / LOCK   decision claims and the period lock (dynamo-report-guards.ts)
 */
export class DynamoRepository extends DynamoReportGuards implements Repository {
  /** `bodies` loads the submissions' bodies (submissions/… in the bucket) that the pointers name. */
  constructor(
    table: string,
    client?: DynamoDBClient,
    scope?: StoreScope,
    private readonly bodies?: Pick<BlobStore, 'get'>,
  ) {
    super(table, client, scope);
  }

  async getUpload(key: string): Promise<UploadRecord | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: this.scopedPk('RAW', key), sk: 'UPLOAD' }, ConsistentRead: true }),
    );
    // A claim still `processing` is no outcome yet.
    if (!res.Item || (res.Item.status !== 'accepted' && res.Item.status !== 'refused')) return undefined;
    return stripKeys<UploadRecord>(res.Item, ['leaseUntil', 'owner', 'claimedAt']);
  }

  async currentSubmissions(periodIds: string[], divisionId?: string): Promise<StoredSubmission[]> {
    const out: StoredSubmission[] = [];
    for (const periodId of periodIds) {
      // One division: its current item only (an upload's history), not every division's body.
      const items = await this.queryAll({
        KeyConditionExpression: divisionId ? 'pk = :pk AND sk = :div' : 'pk = :pk AND begins_with(sk, :div)',
        ExpressionAttributeValues: { ':pk': this.scopedPk('PERIOD', periodId), ':div': divisionId ? `DIV#${divisionId}` : 'DIV#' },
      });
      for (const item of items) {
        if (String(item.sk).includes('#V#') || item.version === undefined) continue;
        out.push(stripKeys<StoredSubmission>(item, ['versionCounter']));
      }
    }
    // Bodies live in S3 (no item may reach DynamoDB's 400 KB); records from before that kept them inline.
    return Promise.all(out.map(async (s) => (s.submission || !s.bodyKey ? s : { ...s, submission: await this.loadBody(s.bodyKey) })));
  }

  private async loadBody(key: string): Promise<Submission> {
    if (!this.bodies) throw new Error('DynamoRepository needs a blob store to read submission bodies');
    return JSON.parse((await this.bodies.get(key)).toString('utf8')) as Submission;
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
          ttl: ttlAfter(link.expiresAt),
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

  async putDownload(downloadHash: string, target: { reportId: string; key: string; fileName: string; expiresAt: string }) {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `DOWNLOAD#${downloadHash}`, sk: 'LINK', ...target, ...this.scope, ttl: ttlAfter(target.expiresAt) },
      }),
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

import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../errors';
import type { ClerkLink, RegisterEntry, RegisterStore } from '../../features/release/ports';
import type { ReleaseRef, ReportNumbering, ReportRecord } from '../../ports';
import { conditionFailed, DynamoTable, SCOPE_FIELDS, stripKeys, ttlAfter } from './dynamo-table';

/**
 * The organization's outgoing register and the release's claims (docs/adr/0031):
 *   REGISTER#<org>#<year> / NO#<000001>     one entry per number given (put if absent, never deleted)
 *   REPORT#<o>#<t>#<id>   / META            `numbering` (set if absent) and the release flip
 *   REPORT#<o>#<t>#<id>   / NOTIFY#<n>#<to> one claim per recipient mail of release number n
 *   CLERK#<hash>          / LINK            the clerk's single-use link to enter a number (global, records its scope)
 */
const pad = (n: number) => String(n).padStart(7, '0');

/** A lost sending claim (the process died mid-send) may be taken again after this long. */
const STALE_CLAIM_MS = 10 * 60_000;

export class DynamoRegister extends DynamoTable implements RegisterStore {
  /** One register per organization and year (organization-wide: shared by its report types). */
  private registerPk(orgId: string, year: number) {
    return this.scopedPk('REGISTER', String(year), false, orgId);
  }

  private reportKey(reportId: string) {
    return { pk: this.scopedPk('REPORT', reportId), sk: 'META' };
  }

  private notifyKey(reportId: string, number: number, email: string) {
    return { pk: this.scopedPk('REPORT', reportId), sk: `NOTIFY#${number}#${email.toLowerCase()}` };
  }

  async highestNumber(orgId: string, year: number): Promise<number> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :no)',
        ExpressionAttributeValues: { ':pk': this.registerPk(orgId, year), ':no': 'NO#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const top = res.Items?.[0];
    return top ? Number(top.number) : 0;
  }

  async getEntry(orgId: string, year: number, number: number): Promise<RegisterEntry | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: this.registerPk(orgId, year), sk: `NO#${pad(number)}` }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<RegisterEntry>(res.Item) : undefined;
  }

  async claimNumber(entry: RegisterEntry): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.registerPk(entry.orgId, entry.year), sk: `NO#${pad(entry.number)}`, ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async findByReport(orgId: string, year: number, reportId: string): Promise<RegisterEntry | undefined> {
    // Rare path (a try interrupted between the entry and the reservation): a filtered query of one year.
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :no)',
      FilterExpression: 'reportId = :r',
      ExpressionAttributeValues: { ':pk': this.registerPk(orgId, year), ':no': 'NO#', ':r': reportId },
      ConsistentRead: true,
    });
    const entries = items.map((i) => stripKeys<RegisterEntry>(i)).sort((a, b) => a.number - b.number);
    return entries[0];
  }

  async reserveOnReport(reportId: string, numbering: ReportNumbering): Promise<ReportNumbering> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.reportKey(reportId),
          UpdateExpression: 'SET numbering = :n',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(numbering)',
          ExpressionAttributeValues: { ':n': numbering },
        }),
      );
      return numbering;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      const held = (await this.report(reportId))?.numbering;
      if (!held) throw new ConflictError(`Không tìm thấy báo cáo ${reportId}.`);
      return held;
    }
  }

  async markReleased(reportId: string, release: ReleaseRef, at: string): Promise<{ release: ReleaseRef; flipped: boolean }> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.reportKey(reportId),
          UpdateExpression: 'SET #s = :released, #r = :release, updatedAt = :at',
          ConditionExpression: '#s = :approved AND numbering.#n = :n',
          ExpressionAttributeNames: { '#s': 'status', '#r': 'release', '#n': 'number' },
          ExpressionAttributeValues: {
            ':released': 'released',
            ':release': release,
            ':at': at,
            ':approved': 'awaiting_approval',
            ':n': release.number,
          },
        }),
      );
      return { release, flipped: true };
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      const r = await this.report(reportId);
      if (r?.status === 'released' && r.release?.number === release.number) return { release: r.release, flipped: false };
      throw new ConflictError(
        `Báo cáo ${reportId} đang ở trạng thái "${r?.status ?? 'không tồn tại'}", không ban hành được với số ${release.number}.`,
      );
    }
  }

  async putClerkLink(link: ClerkLink): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `CLERK#${link.linkHash}`, sk: 'LINK', ...link, ...this.scope, ttl: ttlAfter(link.expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getClerkLink(linkHash: string): Promise<ClerkLink | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `CLERK#${linkHash}`, sk: 'LINK' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<ClerkLink>(res.Item, SCOPE_FIELDS) : undefined;
  }

  async consumeClerkLink(linkHash: string): Promise<boolean> {
    return this.consumePending({ pk: `CLERK#${linkHash}`, sk: 'LINK' });
  }

  async claimNotification(reportId: string, number: number, email: string, at: string): Promise<boolean> {
    const stale = new Date(Date.parse(at) - STALE_CLAIM_MS).toISOString();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.notifyKey(reportId, number, email), status: 'sending', claimedAt: at, email },
          ConditionExpression: 'attribute_not_exists(pk) OR #s = :failed OR (#s = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':failed': 'failed', ':stale': stale },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async completeNotification(reportId: string, number: number, email: string, messageId: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.notifyKey(reportId, number, email),
        UpdateExpression: 'SET #s = :sent, messageId = :m',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId },
      }),
    );
  }

  async dropNotification(reportId: string, number: number, email: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.notifyKey(reportId, number, email),
        UpdateExpression: 'SET #s = :failed',
        ConditionExpression: '#s = :sending',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':failed': 'failed' },
      }),
    );
  }

  private async report(reportId: string): Promise<ReportRecord | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.reportKey(reportId), ConsistentRead: true }));
    return res.Item ? stripKeys<ReportRecord>(res.Item) : undefined;
  }
}

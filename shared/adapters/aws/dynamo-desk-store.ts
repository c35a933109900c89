import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeskEdits } from '../../domain/desk';
import type { AggregatedReport } from '../../domain/report';
import type { BlobStore, DeskStore } from '../../ports';
import { conditionFailed, DynamoTable, type StoreScope, stripKeys } from './dynamo-table';

/**
 * The editing desk's records:
 *   REPORT#<o>#<t>#<id> / DESK#V#<0001>     one saved version of the report's edits (kept, append-only)
 *   drafts/<o>/<t>/<id>/v<n>/report.json     the aggregated report draft n was built from, edits applied
 */
export class DynamoDeskStore extends DynamoTable implements DeskStore {
  constructor(
    table: string,
    client: DynamoDBClient | undefined,
    scope: StoreScope,
    private readonly blobs: Pick<BlobStore, 'get' | 'put'>,
  ) {
    super(table, client, scope);
  }

  async currentDeskEdits(reportId: string): Promise<DeskEdits | undefined> {
    return (await this.listDeskEdits(reportId)).at(-1);
  }

  async listDeskEdits(reportId: string): Promise<DeskEdits[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
      ExpressionAttributeValues: { ':pk': this.scopedPk('REPORT', reportId), ':d': 'DESK#V#' },
      ConsistentRead: true,
    });
    return items.map((i) => stripKeys<DeskEdits>(i)).sort((a, b) => a.version - b.version);
  }

  async saveDeskEdits(reportId: string, edits: DeskEdits): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: this.scopedPk('REPORT', reportId), sk: `DESK#V#${String(edits.version).padStart(4, '0')}`, ...edits },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async putDraftReport(reportId: string, draftVersion: number, report: AggregatedReport): Promise<void> {
    await this.blobs.put(draftReportKey(reportId, draftVersion), JSON.stringify(report), 'application/json');
  }

  async getDraftReport(reportId: string, draftVersion: number): Promise<AggregatedReport | undefined> {
    try {
      return JSON.parse((await this.blobs.get(draftReportKey(reportId, draftVersion))).toString('utf8')) as AggregatedReport;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }
}

function draftReportKey(reportId: string, draftVersion: number): string {
  return `drafts/${reportId}/v${draftVersion}/report.json`;
}

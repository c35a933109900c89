import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrganizationStore, OrganizationSummary, StoredOrganization } from '../../features/organizations/ports';
import { DynamoTable, stripKeys } from './dynamo-table';

/**
 * Organizations as data (global, above every organization's scope):
 *   ORG#<id> / CONFIG            the current document + version; gsi1 ORGS / <id> lists them (a query, never a scan)
 *   ORG#<id> / CONFIG#V#<0001>   every accepted version, kept
 */
export class DynamoOrganizationStore extends DynamoTable implements OrganizationStore {
  async list(): Promise<OrganizationSummary[]> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'ORGS' },
    });
    return items.map((i) => ({
      id: String(i.id),
      agencyName: String(i.agencyName ?? ''),
      parentBody: String(i.parentBody ?? ''),
      version: Number(i.version),
      updatedAt: String(i.updatedAt),
    }));
  }

  async get(id: string): Promise<StoredOrganization | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `ORG#${id}`, sk: 'CONFIG' }, ConsistentRead: true }),
    );
    return res.Item ? stripKeys<StoredOrganization>(res.Item, ['agencyName', 'parentBody']) : undefined;
  }

  async put(rec: StoredOrganization, summary: Pick<OrganizationSummary, 'agencyName' | 'parentBody'>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `ORG#${rec.id}`, sk: 'CONFIG', gsi1pk: 'ORGS', gsi1sk: rec.id, ...rec, ...summary },
          ConditionExpression: rec.version === 1 ? 'attribute_not_exists(pk)' : 'version = :prev',
          ...(rec.version === 1 ? {} : { ExpressionAttributeValues: { ':prev': rec.version - 1 } }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
    // The history item is written after the claim: a retry of the same version rewrites the same item.
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `ORG#${rec.id}`, sk: `CONFIG#V#${String(rec.version).padStart(4, '0')}`, ...rec },
      }),
    );
    return true;
  }
}

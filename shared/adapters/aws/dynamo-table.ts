import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** Links, sessions and rate windows stay this long past their expiry (audit, support) before DynamoDB drops them. */
export const TTL_GRACE_SECONDS = 30 * 24 * 3600;

/**
 * The table's `ttl` attribute (epoch seconds) for an item that stops being valid at `expiresAt`:
 * expiry plus the grace. Undefined for an unreadable date, so the item is simply kept.
 */
export function ttlAfter(expiresAt: string): number | undefined {
  const ms = Date.parse(expiresAt);
  return Number.isFinite(ms) ? Math.ceil(ms / 1000) + TTL_GRACE_SECONDS : undefined;
}

/** The one item family listing the years with data. */
export const YEARS_PK = 'YEARS#ALL';

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

/** The single table as the stores share it: one document client, paged queries, key stripping. */
export abstract class DynamoTable {
  protected readonly doc: DynamoDBDocumentClient;

  constructor(
    protected readonly table: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Flips a pending single-use item (a link, a sign-in secret) to `used`: true once, false ever after. */
  protected async consumePending(key: { pk: string; sk: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #s = :used',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':used': 'used', ':pending': 'pending' },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Remembers that a year has data (YEARS#ALL / <year>), so the home page finds its years with one
   * query instead of a scan (the api function may not Scan). Idempotent.
   */
  protected async markYear(periodId: string): Promise<void> {
    const year = periodId.slice(0, 4);
    if (!/^\d{4}$/.test(year)) return;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: YEARS_PK, sk: year } }));
  }

  /** Every page of a query. */
  protected async queryAll(input: QueryInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey: start }));
      items.push(...((res.Items ?? []) as Record<string, unknown>[]));
      start = res.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return items;
  }
}

/** Drops the table's key attributes from an item (and any extra attributes named). */
export function stripKeys<T>(item: Record<string, unknown>, extra: string[] = []): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ttl: _ttl, ...rest } = item;
  for (const k of extra) delete (rest as Record<string, unknown>)[k];
  return rest as T;
}

/** A conditional write lost (the SDK's class, or its name when the error crossed a serialization boundary). */
export function conditionFailed(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

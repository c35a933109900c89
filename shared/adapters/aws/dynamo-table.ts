import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The organization and report type a store works for. Every item of an organization carries both
 * in its partition key (built by scopedPk, the one place); secret-link items stay global by hash
 * and record the scope instead.
 */
export interface StoreScope {
  orgId: string;
  /** Report type (template id): submissions, reports and their lists are kept per type. */
  reportType: string;
}

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

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

/** The single table as the stores share it: one document client, paged queries, key stripping. */
export abstract class DynamoTable {
  protected readonly doc: DynamoDBDocumentClient;

  constructor(
    protected readonly table: string,
    client: DynamoDBClient = new DynamoDBClient({}),
    private readonly storeScope?: StoreScope,
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
   * Remembers that a year has data (YEARS#<org>#<type>#ALL / <year>), so the home page finds its years with one
   * query instead of a scan (the api function may not Scan). Idempotent.
   */
  protected async markYear(periodId: string): Promise<void> {
    const year = periodId.slice(0, 4);
    if (!/^\d{4}$/.test(year)) return;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: this.scopedPk('YEARS', 'ALL'), sk: year } }));
  }

  /** The scope; a store built without one may only touch global items. */
  protected get scope(): StoreScope {
    if (!this.storeScope) throw new Error('This store was built without an organization scope ({ orgId, reportType }).');
    return this.storeScope;
  }

  /**
   * THE key of an organization's item: `<KIND>#<orgId>#<reportType>#<rest>` (or `<KIND>#<orgId>#<rest>`
   * for an organization-wide family). The kind stays first so that the API's IAM LeadingKeys
   * conditions (infra/constructs/table-access.ts) still name item families. An organization-wide
   * family may name its organization explicitly (a port that takes an orgId, e.g. the register).
   */
  protected scopedPk(kind: string, rest: string, perType = true, orgId?: string): string {
    if (!perType) return `${kind}#${orgId ?? this.scope.orgId}#${rest}`;
    const { reportType } = this.scope;
    return `${kind}#${orgId ?? this.scope.orgId}#${reportType}#${rest}`;
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

/** The scope a global (secret-link) item records; not part of the record the ports return. */
export const SCOPE_FIELDS = ['orgId', 'reportType'];

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

/** Families of global items found by the hash of a secret (links, sign-in), which record their scope. */
export type LinkKind = 'APPROVAL' | 'DOWNLOAD' | 'INVITE' | 'SIGNIN' | 'CLERK';
const LINK_SK: Record<LinkKind, string> = { APPROVAL: 'LINK', DOWNLOAD: 'LINK', INVITE: 'LINK', SIGNIN: 'AUTH', CLERK: 'LINK' };

/** Which organization and report type a secret link belongs to: the lookup before everything else runs with that scope. */
export class DynamoLinkScopes extends DynamoTable {
  async scopeOf(kind: LinkKind, hash: string): Promise<Partial<StoreScope> | undefined> {
    const res = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `${kind}#${hash}`, sk: LINK_SK[kind] },
        ProjectionExpression: 'orgId, reportType',
      }),
    );
    if (!res.Item) return undefined;
    const { orgId, reportType } = res.Item as { orgId?: unknown; reportType?: unknown };
    return {
      ...(typeof orgId === 'string' ? { orgId } : {}),
      ...(typeof reportType === 'string' ? { reportType } : {}),
    };
  }
}

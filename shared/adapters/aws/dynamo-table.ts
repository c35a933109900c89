import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

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

  /** The scope; a store built without one may only touch global items. */
  protected get scope(): StoreScope {
    if (!this.storeScope) throw new Error('This store was built without an organization scope ({ orgId, reportType }).');
    return this.storeScope;
  }

  /**
   * THE key of an organization's item: `<KIND>#<orgId>#<reportType>#<rest>` (or `<KIND>#<orgId>#<rest>`
   * for an organization-wide family). The kind stays first so that the API's IAM LeadingKeys
   * conditions (infra/constructs/table-access.ts) still name item families.
   */
  protected scopedPk(kind: string, rest: string, perType = true): string {
    const { orgId, reportType } = this.scope;
    return perType ? `${kind}#${orgId}#${reportType}#${rest}` : `${kind}#${orgId}#${rest}`;
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
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  for (const k of extra) delete (rest as Record<string, unknown>)[k];
  return rest as T;
}

/** Families of global items found by the hash of a secret (links, sign-in), which record their scope. */
export type LinkKind = 'APPROVAL' | 'DOWNLOAD' | 'INVITE' | 'SIGNIN';
const LINK_SK: Record<LinkKind, string> = { APPROVAL: 'LINK', DOWNLOAD: 'LINK', INVITE: 'LINK', SIGNIN: 'AUTH' };

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

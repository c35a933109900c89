import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, DynamoTable, type StoreScope } from './dynamo-table';
import { scopedObjectKey, unscopeObjectKey } from './s3-blob-store';

/**
 * Moves data written before tenancy (docs/adr/0044) to the scoped keys of one organization and
 * report type. Old shapes, from the git history of `scopedPk`:
 *
 *   PERIOD#<quarter>, REPORT#<id>, INTAKE#<period>, RAW#raw/…   → <KIND>#<org>#<type>#<rest> (same sk)
 *   gsi1pk REPORTS#<period>, INVITES#<period>, PENDING_APPROVAL → REPORTS#<org>#<type>#<period> …
 *   APPROVAL#, DOWNLOAD#, INVITE#, CLERK#, SIGNIN# (global)      → stay, gain orgId (and reportType)
 *   raw/ drafts/ submissions/ released/ <key>                     → <family>/<org>/<type>/<key>
 *   (ACTIVE#<org>#… and REGISTER#<org>#… named their organization already; they are left alone.)
 *
 * Safe to run twice and to run again after a crash: a move first writes the new item (only where
 * none exists) and deletes the old one only once the new one holds the same data; a new item that
 * differs (the system wrote there since) is a conflict, reported, and the old one is kept.
 */

const MOVED_KINDS = ['PERIOD', 'REPORT', 'INTAKE'] as const;
const LINK_KINDS = ['APPROVAL', 'DOWNLOAD', 'INVITE', 'CLERK', 'SIGNIN'] as const;
const FAMILIES = ['raw', 'drafts', 'submissions', 'released'] as const;

type Item = Record<string, unknown>;

export interface MigrationCounts {
  /** Old items (objects) found. */
  found: number;
  /** Written under the new key and the old one removed (or, for links, given their scope). */
  moved: number;
  /** The new key already held the same data (an earlier, interrupted run): only the old one removed. */
  resumed: number;
  /** The new key holds other data: nothing changed, the old item is kept. */
  conflicts: string[];
}

export interface MigrationReport {
  dryRun: boolean;
  items: MigrationCounts;
  links: MigrationCounts;
  objects: MigrationCounts;
  /** Years found in the moved periods and reports (the home page's year markers are written for them). */
  years: string[];
}

const counts = (): MigrationCounts => ({ found: 0, moved: 0, resumed: 0, conflicts: [] });

/** The item without its keys, for comparing an old item with its new copy. */
function body(item: Item): Item {
  const { pk: _pk, gsi1pk: _g, ...rest } = item;
  return rest;
}

export class UnscopedMigration extends DynamoTable {
  constructor(
    table: string,
    client: DynamoDBClient,
    private readonly target: StoreScope,
    private readonly objects: { s3: S3Client; bucket: string },
    /** Organization ids in use: an object key whose second segment is one of them is already scoped. */
    private readonly knownOrgIds: readonly string[],
  ) {
    super(table, client, target);
  }

  async run(opts: { dryRun: boolean }): Promise<MigrationReport> {
    const report: MigrationReport = { dryRun: opts.dryRun, items: counts(), links: counts(), objects: counts(), years: [] };
    const years = new Set<string>();
    let start: Item | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const item of (page.Items ?? []) as Item[]) await this.migrateItem(item, report, years, opts.dryRun);
      start = page.LastEvaluatedKey as Item | undefined;
    } while (start);
    report.years = [...years].sort();
    if (!opts.dryRun) {
      for (const year of report.years) {
        await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: this.scopedPk('YEARS', 'ALL'), sk: year } }));
      }
    }
    await this.migrateObjects(report.objects, opts.dryRun);
    return report;
  }

  /** The new partition key of an old-shaped item, or undefined when the item is not an old organization item. */
  private newPk(pk: string): string | undefined {
    if (pk.startsWith('RAW#raw/')) return this.scopedPk('RAW', pk.slice('RAW#'.length));
    const [kind, ...rest] = pk.split('#');
    if (rest.length !== 1 || !(MOVED_KINDS as readonly string[]).includes(kind)) return undefined;
    return this.scopedPk(kind, rest[0]);
  }

  /** gsi1pk of an old shape, rewritten; undefined when it needs no change. */
  private newGsi1pk(gsi1pk: unknown): string | undefined {
    if (typeof gsi1pk !== 'string') return undefined;
    if (gsi1pk === 'PENDING_APPROVAL') return this.scopedPk('PENDING_APPROVAL', 'LINKS');
    const [kind, ...rest] = gsi1pk.split('#');
    if (rest.length === 1 && (kind === 'REPORTS' || kind === 'INVITES')) return this.scopedPk(kind, rest[0]);
    return undefined;
  }

  private async migrateItem(item: Item, report: MigrationReport, years: Set<string>, dryRun: boolean) {
    const pk = String(item.pk);
    const kind = pk.split('#')[0];
    if ((LINK_KINDS as readonly string[]).includes(kind)) return this.scopeLink(item, kind, report.links, dryRun);
    const target = this.newPk(pk);
    if (!target) return;
    report.items.found++;
    if (kind === 'PERIOD' || kind === 'INTAKE') years.add(pk.split('#')[1].slice(0, 4));
    if (kind === 'REPORT' && item.sk === 'META' && typeof item.periodId === 'string') years.add(item.periodId.slice(0, 4));
    if (dryRun) return;
    const gsi1pk = this.newGsi1pk(item.gsi1pk);
    const next: Item = { ...item, pk: target, ...(gsi1pk ? { gsi1pk } : {}) };
    let resumed = false;
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: next, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      // Written by an earlier run that stopped before deleting the old item, or by the system since.
      const existing = await this.getItem(target, String(item.sk));
      if (!existing || !isDeepStrictEqual(body(existing), body(next))) {
        report.items.conflicts.push(`${pk} / ${String(item.sk)}`);
        return;
      }
      resumed = true;
    }
    // Only now, with the new item in place, the old one goes.
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk, sk: item.sk } }));
    if (resumed) report.items.resumed++;
    else report.items.moved++;
  }

  private async getItem(pk: string, sk: string): Promise<Item | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }));
    return res.Item as Item | undefined;
  }

  /** A secret-link item stays where it is (found by its hash) and records its scope; its list index is rescoped. */
  private async scopeLink(item: Item, kind: string, c: MigrationCounts, dryRun: boolean) {
    if (typeof item.orgId === 'string') return;
    c.found++;
    if (dryRun) return;
    const gsi1pk = this.newGsi1pk(item.gsi1pk);
    const withType = kind !== 'SIGNIN';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: `SET orgId = :o${withType ? ', reportType = :t' : ''}${gsi1pk ? ', gsi1pk = :g' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(orgId)',
          ExpressionAttributeValues: {
            ':o': this.target.orgId,
            ...(withType ? { ':t': this.target.reportType } : {}),
            ...(gsi1pk ? { ':g': gsi1pk } : {}),
          },
        }),
      );
      c.moved++;
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      c.resumed++;
    }
  }

  /** Objects of the four families whose key names no organization: copied to the scoped key, then removed. */
  private async migrateObjects(c: MigrationCounts, dryRun: boolean) {
    const { s3, bucket } = this.objects;
    for (const family of FAMILIES) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${family}/`, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          const key = o.Key;
          if (!key) continue;
          const scoped = unscopeObjectKey(key);
          if (scoped && this.knownOrgIds.includes(scoped.orgId)) continue;
          c.found++;
          if (!dryRun) await this.moveObject(key, (o.ETag ?? '').replaceAll('"', ''), c);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  }

  private async moveObject(key: string, etag: string, c: MigrationCounts) {
    const { s3, bucket } = this.objects;
    const target = scopedObjectKey(this.target, key);
    const existing = await this.etagOf(target);
    let resumed = false;
    if (existing === undefined) {
      await s3.send(
        new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}` }),
      );
      if ((await this.etagOf(target)) !== etag) {
        c.conflicts.push(key);
        return;
      }
    } else if (existing !== etag) {
      c.conflicts.push(key);
      return;
    } else resumed = true;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    if (resumed) c.resumed++;
    else c.moved++;
  }

  private async etagOf(key: string): Promise<string | undefined> {
    try {
      const res = await this.objects.s3.send(new HeadObjectCommand({ Bucket: this.objects.bucket, Key: key }));
      return (res.ETag ?? '').replaceAll('"', '');
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return undefined;
      throw err;
    }
  }
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Object key prefixes of the report bucket; grants are scoped to them. */
/** What every bucket of the stack is: private, encrypted, TLS only, owned by the bucket owner. */
const PRIVATE_BUCKET = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  // SSE-S3: server access log delivery supports only this on its target bucket.
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
} as const satisfies s3.BucketProps;

export const Prefix = {
  /** Division submissions (form JSON or uploaded spreadsheet), written by presigned POST; the EventBridge intake watches it. */
  raw: 'raw/',
  /** Generated draft .docx (and the aggregate it was built from) awaiting approval; overwritten per run, so old versions expire. */
  drafts: 'drafts/',
  /** Bodies of accepted submission versions (v0001.json …); the table keeps pointers (docs/adr/0031). Never expired. */
  submissions: 'submissions/',
  /** Numbered, approved reports handed to recipients. Never expired. */
  released: 'released/',
  /** PDFs in the course of signing (prepared request, signed by the person, sealed) until Release copies the original to released/. */
  signing: 'signing/',
  /**
   * Organizations' signing material (signature and seal images, certificate chains: ADR 0048),
   * orgs/<org>/signing/…, SSE-KMS with `signingMaterialKey` (the bucket refuses any other put here).
   */
  signingMaterial: 'orgs/',
} as const;
export type PrefixName = keyof typeof Prefix;

export interface StorageProps {
  /**
   * What happens to the table and both buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN — submissions, audit trail and released reports are records.
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days after which a noncurrent version under `drafts/` is deleted.
   * @default 90
   */
  readonly draftNoncurrentVersionDays?: number;
  /**
   * Days after which a submission under `raw/` moves to S3 Standard-IA, and later Glacier
   * Flexible Retrieval. Submissions are records (never expired); they are read again only when a
   * period is recompiled, which reads the table, not the raw object.
   * @default { infrequentAccess: 90, glacier: 365 }
   */
  readonly rawTransitionDays?: { readonly infrequentAccess: number; readonly glacier: number };
  /**
   * Days a replaced (noncurrent) version under `raw/` is kept.
   * @default 365
   */
  readonly rawNoncurrentVersionDays?: number;
  /**
   * Default Object Lock retention of the released-report archive (docs/adr/0030-released-archive.md).
   * @default { mode: 'GOVERNANCE', years: 10 }
   */
  readonly archiveRetention?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly years: number };
}

/**
 * The DynamoDB table and the S3 buckets.
 *
 * Single-table design (see docs/adr/0002-single-table-design.md):
 *
 * | pk                          | sk                       | item                                         |
 * |-----------------------------|--------------------------|----------------------------------------------|
 * | `PERIOD#<period>`           | `DIV#<div>`              | current submission of a division             |
 * | `PERIOD#<period>`           | `DIV#<div>#V#<nnnn>`     | every submitted version (4-digit, zero-padded)|
 * | `RAW#<s3 key>`              | `UPLOAD`                 | ingest result of one object (idempotency)    |
 * | `REPORT#<id>`               | `META`                   | report state                                 |
 * | `REPORT#<id>`               | `AUDIT#<iso>#<rand>`     | audit entry, time-ordered                    |
 * | `APPROVAL#<sha256(link id)>`| `LINK`                   | approval link + task token (hash only)       |
 * | `REGISTER#<org>#<year>`     | `NO#<nnnnnnn>`           | outgoing register: one entry per number given (put if absent) |
 * | `REPORT#<id>`               | `NOTIFY#<n>#<email>`     | release mail claim, one per recipient        |
 * | `CLERK#<hash>`              | `LINK`                   | clerk of records' link to enter a number     |
 * | `DOWNLOAD#<hash>`, `INVITE#<hash>`, `INTAKE#<period>`, `SIGNIN#<hash>` | … | links, intake state, sessions (ADR 0002) |
 *
 * GSI `gsi1` (`gsi1pk`, `gsi1sk`): `PENDING_APPROVAL` / `<created iso>` is the approvers'
 * inbox (the attribute is removed once decided); `REPORTS#<period>` / `<created iso>` lists a
 * period's reports. Only single-item conditional writes and atomic counters are used, because
 * the local engine (dynalite) has no transactions.
 */
export class Storage extends Construct {
  public readonly table: dynamodb.Table;
  public readonly bucket: s3.Bucket;
  public readonly accessLogBucket: s3.Bucket;
  /** Released reports under Object Lock (write-once for the retention period). */
  public readonly archiveBucket: s3.Bucket;
  /**
   * Encrypts the signing material under orgs/ (SSE-KMS): reading a signature image needs
   * kms:Decrypt on this key besides s3:GetObject, so the bucket's other readers cannot.
   */
  public readonly signingMaterialKey: kms.Key;

  constructor(scope: Construct, id: string, props: StorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const raw = props.rawTransitionDays ?? { infrequentAccess: 90, glacier: 365 };
    const retention = props.archiveRetention ?? { mode: 'GOVERNANCE', years: 10 };

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // A stack update or a console click cannot drop the records; turn off deliberately first.
      deletionProtection: true,
      // Epoch seconds; links, sessions and rate windows carry it (written by the stores).
      timeToLiveAttribute: 'ttl',
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy,
    });

    this.bucket = new s3.Bucket(this, 'Reports', {
      ...PRIVATE_BUCKET,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'reports/',
      // Division forms upload straight to S3 by presigned POST from the browser; the policy
      // document (not CORS) restricts key, size and content type.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.PUT, s3.HttpMethods.GET],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'expire-old-drafts',
          prefix: Prefix.drafts,
          noncurrentVersionExpiration: Duration.days(props.draftNoncurrentVersionDays ?? 90),
        },
        {
          id: 'archive-raw-submissions',
          prefix: Prefix.raw,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(raw.infrequentAccess) },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(raw.glacier) },
          ],
          noncurrentVersionExpiration: Duration.days(props.rawNoncurrentVersionDays ?? 365),
        },
      ],
      removalPolicy,
    });
    // `eventBridgeEnabled: true` on the L2 bucket would add the BucketNotifications custom
    // resource (a Python Lambda with s3:PutBucketNotification on "*"). CloudFormation sets the
    // same switch natively, so set it on the L1 instead (docs/adr/0001-cdk-stack-layout.md).
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    this.signingMaterialKey = new kms.Key(this, 'SigningMaterialKey', {
      description: 'baocao: signature and seal images and certificate chains of the organizations (orgs/ prefix)',
      enableKeyRotation: true,
      removalPolicy,
    });
    // Nothing lands under orgs/ unless encrypted with that key (a put without it is denied).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${Prefix.signingMaterial}*`)],
        conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.signingMaterialKey.keyArn } },
      }),
    );

    // Object Lock default retention is per bucket, not per prefix, so released reports get their
    // own bucket (docs/adr/0030-released-archive.md). Keys mirror the reports bucket: released/….
    this.archiveBucket = new s3.Bucket(this, 'ReleasedArchive', {
      ...PRIVATE_BUCKET,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'released-archive/',
      objectLockEnabled: true,
      objectLockDefaultRetention:
        retention.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(365 * retention.years))
          : s3.ObjectLockRetention.governance(Duration.days(365 * retention.years)),
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy,
    });
  }

  /** The ARN pattern of every object under one prefix. */
  objectsArn(prefix: PrefixName): string {
    return this.bucket.arnForObjects(`${Prefix[prefix]}*`);
  }

  /** The ARN pattern of released reports in the archive bucket. */
  archiveObjectsArn(): string {
    return this.archiveBucket.arnForObjects(`${Prefix.released}*`);
  }
}

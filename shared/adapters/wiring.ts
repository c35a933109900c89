import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { organization as bundledOrganization } from '../config';
import type { Organization } from '../config/schema';
import { organizationForReportType } from '../domain/ownership';
import { OrganizationCache } from '../features/organizations/organizations';
import { noMetrics, powertoolsMetrics } from '../observability/metrics';
import { getTemplate } from '../templates';
import { DynamoDeskStore } from './aws/dynamo-desk-store';
import { DynamoIngestLedger } from './aws/dynamo-ingest-ledger';
import { DynamoIntakeStore } from './aws/dynamo-intake-store';
import { DynamoOrganizationStore } from './aws/dynamo-organization-store';
import { DynamoRegister } from './aws/dynamo-register';
import { DynamoRepository } from './aws/dynamo-repository';
import { DynamoSigninStore } from './aws/dynamo-signin-store';
import { DynamoLinkScopes, type LinkKind, type StoreScope } from './aws/dynamo-table';
import { makeS3Client, S3BlobStore, unscopeObjectKey } from './aws/s3-blob-store';
import { S3SigningFiles } from './aws/s3-signing-files';
import { S3SigningMaterial } from './aws/s3-signing-material';
import { SfnWorkflow } from './aws/sfn-workflow';
import { readEnv } from './env';
import { registeredMailer } from './mail-registry';
import { registeredSigning } from './signing-registry';
import { traced } from './tracing';

/**
 * The one wiring module: the only place that knows the DynamoDB, S3, Step Functions and mail
 * classes. Clients are built once per Lambda container; the dependencies of one organization and
 * report type (stores constructed for that scope, its configuration, its bound template) are built
 * per scope and kept while the organization's cached document is unchanged (short TTL).
 */
function platformBase() {
  const env = readEnv();
  const ddb = traced(new DynamoDBClient({}));
  const organizations = new DynamoOrganizationStore(env.TABLE_NAME, ddb);
  return {
    env,
    ddb,
    s3: traced(makeS3Client(env.AWS_ENDPOINT_URL_S3)),
    sfn: traced(new SFNClient({})),
    /** Owner of this container's ingest claims: the local runtime names its instance, so a restart can take over the previous one's. */
    claimOwner: process.env.BAOCAO_INSTANCE || `lambda-${randomUUID()}`,
    mailer: registeredMailer({
      transport: env.MAIL_TRANSPORT,
      from: env.MAIL_FROM,
      smtpUrl: env.SMTP_URL,
      configurationSet: env.MAIL_CONFIGURATION_SET,
    }),
    organizations,
    cache: new OrganizationCache(organizations, env.ORG_CACHE_SECONDS * 1000),
    links: new DynamoLinkScopes(env.TABLE_NAME, ddb),
  };
}

function platform() {
  const base = platformBase();
  // Organization-level objects (not per report type): signing material under orgs/<org>/signing/.
  return { ...base, material: new S3SigningMaterial(base.env.BUCKET_NAME, base.s3, base.env.SIGNING_MATERIAL_KEY_ID) };
}

type Platform = ReturnType<typeof platform>;
let shared: Platform | undefined;
const platformOnce = () => {
  shared ??= platform();
  return shared;
};

/** The report type a scope uses when none is named: the deployment's default if the organization has it. */
function reportTypeOf(org: Organization, env: Platform['env'], wanted?: string): string {
  if (wanted && org.reportTypes.includes(wanted)) return wanted;
  return org.reportTypes.includes(env.TEMPLATE_ID) ? env.TEMPLATE_ID : org.reportTypes[0];
}

function build(p: Platform, org: Organization, reportType: string) {
  const { env } = p;
  const scope: StoreScope = { orgId: org.id, reportType };
  // Per scope: bodies, raw objects and drafts live under <family>/<org>/<type>/ (scopedObjectKey).
  const blobs = new S3BlobStore(env.BUCKET_NAME, p.s3, scope, env.ARCHIVE_BUCKET_NAME);
  const files = new S3SigningFiles(blobs);
  const material = p.material;
  // The signing adapters only where wiring-signing registered them (the PDF and signing handlers).
  const { keys, pades } = registeredSigning(org, { dir: env.BAOCAO_SIGNING_DIR, material });
  const template = getTemplate(reportType, org);
  return {
    files,
    keys,
    material,
    pades,
    signed: { files, keys, pades },
    env,
    scope,
    repo: new DynamoRepository(env.TABLE_NAME, p.ddb, scope, blobs),
    ledger: new DynamoIngestLedger(env.TABLE_NAME, p.ddb, scope),
    desk: new DynamoDeskStore(env.TABLE_NAME, p.ddb, scope, blobs),
    claimOwner: p.claimOwner,
    register: new DynamoRegister(env.TABLE_NAME, p.ddb, scope),
    intake: new DynamoIntakeStore(env.TABLE_NAME, p.ddb, scope),
    intakeOptions: { graceDays: env.INVITE_GRACE_DAYS, reminderDaysBefore: env.REMINDER_DAYS_BEFORE },
    signin: new DynamoSigninStore(env.TABLE_NAME, p.ddb),
    organizations: p.organizations,
    blobs,
    objects: blobs,
    mailer: p.mailer,
    workflow: new SfnWorkflow(env.STATE_MACHINE_ARN, p.sfn),
    // As this report type sees it: the divisions answering it, its own approval chain.
    organization: organizationForReportType(org, template),
    template,
    baseUrl: env.PUBLIC_BASE_URL ?? '',
    now: () => new Date(),
    local: env.BAOCAO_LOCAL === '1',
    // EMF lines only on Lambda: the local runtime's console stays readable.
    metrics: env.BAOCAO_LOCAL === '1' ? noMetrics : powertoolsMetrics(org.id),
  };
}

export type AwsDeps = ReturnType<typeof build>;

const built = new WeakMap<Organization, Map<string, AwsDeps>>();

/**
 * The dependencies of one organization (and report type): its document from the table (cached
 * per container, DEFAULT_ORG_ID's bundled document if the table has none yet).
 */
export async function organizationDeps(orgId: string, reportType?: string): Promise<AwsDeps> {
  const p = platformOnce();
  const org = (await p.cache.get(orgId)) ?? (orgId === bundledOrganization.id ? bundledOrganization : await p.cache.require(orgId));
  const type = reportTypeOf(org, p.env, reportType);
  const byType = built.get(org) ?? new Map<string, AwsDeps>();
  built.set(org, byType);
  const hit = byType.get(type);
  if (hit) return hit;
  const deps = build(p, org, type);
  byType.set(type, deps);
  return deps;
}

/** The deployment's default organization (unprefixed routes, older report ids). */
export function defaultOrgId(): string {
  return platformOnce().env.DEFAULT_ORG_ID ?? bundledOrganization.id;
}

/** The scope recorded on a secret link (decision, download, invite, sign-in). */
export function linkScope(kind: LinkKind, hash: string) {
  return platformOnce().links.scopeOf(kind, hash);
}

/** Dependencies for a pipeline task: the report id names its organization and report type. */
export function reportDeps(reportId: string): Promise<AwsDeps> {
  const scope = scopeOfReportId(reportId);
  return organizationDeps(scope?.orgId ?? defaultOrgId(), scope?.reportType);
}

/** Dependencies for an uploaded object: its key names the organization and report type. */
export async function objectDeps(bucketKey: string): Promise<{ deps: AwsDeps; key: string }> {
  const scoped = unscopeObjectKey(bucketKey);
  if (!scoped) return { deps: await organizationDeps(defaultOrgId()), key: bucketKey };
  return { deps: await organizationDeps(scoped.orgId, scoped.reportType), key: scoped.key };
}

/** Report ids read `<orgId>.<reportType>.<period>-<time>-<rand>`: every task finds its scope in it. */
export function scopeOfReportId(reportId: string): StoreScope | undefined {
  const m = /^([a-z0-9-]{2,40})\.([a-z0-9-]+)\./.exec(reportId);
  return m ? { orgId: m[1], reportType: m[2] } : undefined;
}

/** The organizations store and the clock, without any organization (the /api/orgs routes, seeding). */
export function platformDeps() {
  const p = platformOnce();
  return { organizations: p.organizations, material: p.material, now: () => new Date() };
}

/** Lazily bound so that importing a handler module for its makeHandler never needs the environment. */
let cached: AwsDeps | undefined;
/** The bundled organization's dependencies, synchronously (kept for callers without a scope). */
export function defaultDeps(): AwsDeps {
  const p = platformOnce();
  cached ??= build(p, bundledOrganization, reportTypeOf(bundledOrganization, p.env));
  return cached;
}

/** The workflow port for one given state machine (ContinueAsNew learns its own from the execution context). */
export function workflowFor(stateMachineArn: string) {
  return new SfnWorkflow(stateMachineArn, traced(new SFNClient({})));
}

/** A pipeline handler run with the dependencies of the report its event names (`reportId`). */
export function byReport<R>(make: (deps: () => AwsDeps) => (event: unknown) => Promise<R>) {
  return async (event: unknown): Promise<R> => {
    const id = (event as { reportId?: unknown } | undefined)?.reportId;
    const deps = await reportDeps(typeof id === 'string' ? id : '');
    return make(() => deps)(event);
  };
}

/** Every stored organization and report type (the scheduler opens periods for all). */
export async function allScopeDeps(): Promise<AwsDeps[]> {
  const p = platformOnce();
  const listed = await p.organizations.list();
  const ids = listed.length ? listed.map((o) => o.id) : [defaultOrgId()];
  const out: AwsDeps[] = [];
  for (const id of ids) {
    const first = await organizationDeps(id);
    for (const type of first.organization.reportTypes) out.push(type === first.template.id ? first : await organizationDeps(id, type));
  }
  return out;
}

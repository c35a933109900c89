/**
 * Many organizations in one deployment, both ways: a compiler of Sở Công Thương (cchc) on Sở Tư
 * pháp's routes (kstt) and the reverse gets 403 or 404 on EVERY operator route of the other
 * (pages under /o/<other>/…, and the other's report ids on one's own pages), and nothing of the
 * other's scope is ever read or written on the way. The CLI's /api/orgs/<other>/… reaches it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, type ApiResolver, makeHandler, ORG_ROUTES, ROUTES } from '../../functions/api';
import { DynamoDeskStore } from '../../shared/adapters/aws/dynamo-desk-store';
import { DynamoIngestLedger } from '../../shared/adapters/aws/dynamo-ingest-ledger';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { DynamoRegister } from '../../shared/adapters/aws/dynamo-register';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import { organization } from '../../shared/config';
import { type Organization, parseOrganization } from '../../shared/config/schema';
import { sha256 } from '../../shared/crypto';
import stp from '../../shared/sample/binhphuoc-stp/organization.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { ddb, deps, httpEvent, report, s3 } from './handlers-harness';

/** One side of the tenancy boundary: an organization and the report type its operator works on. */
interface Side {
  org: Organization;
  type: string;
  /** A report of this side, under its own keys. */
  reportId: string;
}
const SCT: Side = { org: organization, type: 'cchc', reportId: `${organization.id}.cchc.2021-20211216030000-ab12` };
const orgStp = parseOrganization(stp);
const STP: Side = { org: orgStp, type: 'kstt', reportId: `${orgStp.id}.kstt.2021-Q1-20210316030000-cd34` };
const COOKIE = 'session-of-me';

/** The handler dependencies of one side: every store constructed for its scope. */
function depsOf(side: Side) {
  const base = deps();
  const scope = { orgId: side.org.id, reportType: side.type };
  const client = new DynamoDBClient({ region: 'ap-southeast-1' });
  const blobs = new S3BlobStore(
    'bucket',
    new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }),
    scope,
  );
  return {
    ...base,
    organization: side.org,
    template: getTemplate(side.type, side.org),
    repo: new DynamoRepository('Table', client, scope),
    ledger: new DynamoIngestLedger('Table', client, scope),
    register: new DynamoRegister('Table', client, scope),
    intake: new DynamoIntakeStore('Table', client, scope),
    blobs,
    desk: new DynamoDeskStore('Table', client, scope, blobs),
  };
}

function resolver(me: Side, other: Side): ApiResolver & { asked: string[] } {
  const mine = depsOf(me);
  const theirs = depsOf(other);
  const asked: string[] = [];
  return {
    asked,
    async forOrg(orgId) {
      asked.push(orgId);
      if (orgId === me.org.id) return mine as ApiDeps;
      if (orgId === other.org.id) return theirs as ApiDeps;
      throw new Error(`unknown ${orgId}`);
    },
    defaultOrgId: () => me.org.id,
    linkScope: async () => undefined,
  };
}

/** My compiler is signed in; the other side's report exists under its own keys. */
function storeSession(me: Side, other: Side) {
  ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256(COOKIE)}`, sk: 'AUTH' } }).resolves({
    Item: {
      kind: 'session',
      email: me.org.compiler.email,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      status: 'active',
      orgId: me.org.id,
    },
  });
  ddb
    .on(GetCommand, { Key: { pk: `REPORT#${other.org.id}#${other.type}#${other.reportId}`, sk: 'META' } })
    .resolves({ Item: { pk: 'x', sk: 'META', ...report({ reportId: other.reportId, periodId: '2021-Q1' }) } });
}

/** Every key any store or bucket call touched. */
function touchedKeys(): string[] {
  const keys: string[] = [];
  for (const c of [...ddb.commandCalls(GetCommand), ...ddb.commandCalls(PutCommand), ...ddb.commandCalls(UpdateCommand)]) {
    const input = c.args[0].input as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
    keys.push(String((input.Key ?? input.Item)?.pk));
  }
  for (const c of ddb.commandCalls(QueryCommand)) keys.push(JSON.stringify(c.args[0].input.ExpressionAttributeValues));
  for (const c of [...s3.commandCalls(GetObjectCommand), ...s3.commandCalls(PutObjectCommand), ...s3.commandCalls(HeadObjectCommand)]) {
    keys.push(String(c.args[0].input.Key));
  }
  return keys;
}
const touches = (side: Side) => touchedKeys().filter((k) => k.includes(`#${side.org.id}#`) || k.includes(`/${side.org.id}/`));

const fill = (path: string, other: Side) =>
  path
    .replace(':period', '2021-Q1')
    .replace(':id', encodeURIComponent(other.reportId))
    .replace(':org', other.org.id)
    .replace(':secret', 'x')
    .replace(':version', '1')
    .replace(':person', 'nguoi-ky');

const operatorRoutes = [...ROUTES, ...ORG_ROUTES].filter((r) => r.surface === 'operator');

describe.each([
  ['Sở Công Thương (cchc)', 'Sở Tư pháp (kstt)', SCT, STP],
  ['Sở Tư pháp (kstt)', 'Sở Công Thương (cchc)', STP, SCT],
] as const)('a compiler of %s on the routes of %s', (_me, _other, me, other) => {
  it('covers every operator route', () => {
    expect(operatorRoutes.length).toBeGreaterThan(20);
  });

  it('covers the document views exactly like the draft download', () => {
    const paths = operatorRoutes.map((r) => r.path);
    for (const p of ['/reports/:id/download', '/reports/:id/drafts/:version', '/reports/:id/released']) expect(paths).toContain(p);
  });

  it('covers the signing material (images, chains) of the organization', () => {
    const routes = operatorRoutes.map((r) => `${r.method} ${r.path}`);
    for (const p of [
      'GET /signing/material',
      'GET /signing/material/organization/image',
      'GET /signing/material/person/:person/image',
      'PUT /signing/material/organization/image',
      'PUT /signing/material/person/:person/image',
      'PUT /signing/material/organization/chain',
      'PUT /signing/material/person/:person/chain',
    ])
      expect(routes).toContain(p);
  });

  it.each(operatorRoutes.map((r) => [r.method, r.path]))(
    '%s /o/<other>%s answers 403 in Vietnamese and touches nothing of B',
    async (method, path) => {
      storeSession(me, other);
      const api = makeHandler(resolver(me, other));
      const res = await api(
        httpEvent(method, `/o/${other.org.id}${fill(path, other)}`, method === 'GET' ? undefined : '{}', [`bc_session=${COOKIE}`]),
      );
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('không có quyền');
      expect(touches(other)).toEqual([]);
    },
  );

  it.each(operatorRoutes.map((r) => [r.method, r.path]))(
    '%s %s with the other’s report id or org on my own pages is not theirs',
    async (method, path) => {
      storeSession(me, other);
      const r = resolver(me, other);
      // Abandon, resend and recompile from a page need a reason and a confirmation first (else 400 before any lookup).
      const body = method === 'GET' ? undefined : /\/(abandon|resend|recompile)$/.test(path) ? 'comment=ki%E1%BB%83m+tra&confirm=1' : '{}';
      const res = await makeHandler(r)(httpEvent(method, fill(path, other), body, [`bc_session=${COOKIE}`]));
      expect(r.asked.every((o) => o !== other.org.id)).toBe(true);
      expect(touches(other)).toEqual([]);
      if (path.includes(':id') || path.includes(':org')) expect([403, 404]).toContain(res.statusCode);
    },
  );

  it('the operators’ API (IAM) reaches the other organization under /api/orgs/<other>/…, and only there', async () => {
    storeSession(me, other);
    const res = await makeHandler(resolver(me, other))(httpEvent('GET', `/api/orgs/${other.org.id}/reports/${other.reportId}`));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}').report.reportId).toBe(other.reportId);
    const mine = await makeHandler(resolver(me, other))(httpEvent('GET', `/api/reports/${other.reportId}`));
    expect(mine.statusCode).toBe(404);
  });

  it('a compiler of the other organization signs in at /o/<other>/signin: the link and the session record it', async () => {
    const res = await makeHandler(resolver(me, other))(
      httpEvent('POST', `/o/${other.org.id}/signin`, `email=${encodeURIComponent(other.org.compiler.email)}`),
    );
    expect(res.statusCode).toBe(200);
    const put = ddb.commandCalls(PutCommand).find((c) => String(c.args[0].input.Item?.pk).startsWith('SIGNIN#'));
    expect(put?.args[0].input.Item).toMatchObject({ kind: 'link', email: other.org.compiler.email, orgId: other.org.id });
  });

  it('the organization list of a page shows only the compiler’s own', async () => {
    storeSession(me, other);
    ddb.on(QueryCommand).resolves({
      Items: [
        { id: SCT.org.id, agencyName: SCT.org.agencyName, version: 1, updatedAt: 'x' },
        { id: STP.org.id, agencyName: STP.org.agencyName, version: 1, updatedAt: 'x' },
      ],
    });
    const res = await makeHandler(resolver(me, other))(httpEvent('GET', '/orgs', undefined, [`bc_session=${COOKIE}`]));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(me.org.agencyName);
    expect(res.body).not.toContain(other.org.agencyName);
  });
});

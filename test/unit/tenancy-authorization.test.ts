/**
 * Many organizations in one deployment: a compiler signed in to organization A gets 403 or 404 on
 * EVERY operator route of organization B (pages under /o/B/…, and B's report ids on A's own pages),
 * and nothing of B's scope is ever read or written on the way. The CLI's /api/orgs/B/… reaches B.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, type ApiResolver, makeHandler, ORG_ROUTES, ROUTES } from '../../functions/api';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { parseOrganization } from '../../shared/config/schema';
import { sha256 } from '../../shared/crypto';
import { getTemplate } from '../../shared/templates';
import stp from '../fixtures/organizations/so-tu-phap.json' with { type: 'json' };
import { ddb, deps, httpEvent, report, s3 } from './handlers-harness';

const orgB = parseOrganization(stp);
const B_REPORT = `${orgB.id}.cchc.2021-20211216030000-ab12`;
const COOKIE = 'session-of-a';

function depsB() {
  const a = deps();
  const scope = { orgId: orgB.id, reportType: 'cchc' };
  const client = new DynamoDBClient({ region: 'ap-southeast-1' });
  return {
    ...a,
    organization: orgB,
    template: getTemplate('cchc', orgB),
    repo: new DynamoRepository('Table', client, scope),
    intake: new DynamoIntakeStore('Table', client, scope),
  };
}

function resolver(): ApiResolver & { asked: string[] } {
  const a = deps();
  const b = depsB();
  const asked: string[] = [];
  return {
    asked,
    async forOrg(orgId) {
      asked.push(orgId);
      if (orgId === a.organization.id) return a as ApiDeps;
      if (orgId === orgB.id) return b as ApiDeps;
      throw new Error(`unknown ${orgId}`);
    },
    defaultOrgId: () => a.organization.id,
    linkScope: async () => undefined,
  };
}

/** A's compiler is signed in; B's report exists under B's own keys. */
function storeSessionAndB() {
  const a = deps();
  ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256(COOKIE)}`, sk: 'AUTH' } }).resolves({
    Item: {
      kind: 'session',
      email: a.organization.compiler.email,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      status: 'active',
      orgId: a.organization.id,
    },
  });
  ddb
    .on(GetCommand, { Key: { pk: `REPORT#${orgB.id}#cchc#${B_REPORT}`, sk: 'META' } })
    .resolves({ Item: { pk: 'x', sk: 'META', ...report({ reportId: B_REPORT }) } });
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
const touchesB = () => touchedKeys().filter((k) => k.includes(`#${orgB.id}#`) || k.includes(`/${orgB.id}/`));

const fill = (path: string) =>
  path
    .replace(':period', '2021-Q1')
    .replace(':id', encodeURIComponent(B_REPORT))
    .replace(':org', orgB.id)
    .replace(':secret', 'x')
    .replace(':version', '1');

const operatorRoutes = [...ROUTES, ...ORG_ROUTES].filter((r) => r.surface === 'operator');

describe('a compiler of one organization on another organization’s routes', () => {
  it('covers every operator route', () => {
    expect(operatorRoutes.length).toBeGreaterThan(20);
  });

  it('covers the document views exactly like the draft download', () => {
    const paths = operatorRoutes.map((r) => r.path);
    for (const p of ['/reports/:id/download', '/reports/:id/drafts/:version', '/reports/:id/released']) expect(paths).toContain(p);
  });

  it.each(operatorRoutes.map((r) => [r.method, r.path]))(
    '%s /o/<B>%s answers 403 in Vietnamese and touches nothing of B',
    async (method, path) => {
      storeSessionAndB();
      const api = makeHandler(resolver());
      const res = await api(httpEvent(method, `/o/${orgB.id}${fill(path)}`, method === 'GET' ? undefined : '{}', [`bc_session=${COOKIE}`]));
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('không có quyền');
      expect(touchesB()).toEqual([]);
    },
  );

  it.each(operatorRoutes.map((r) => [r.method, r.path]))(
    '%s %s with B’s report id or org on A’s own pages is not B’s',
    async (method, path) => {
      storeSessionAndB();
      const r = resolver();
      // Abandoning from a page needs its reason and confirmation first (else 400 before any lookup).
      const body = method === 'GET' ? undefined : path.endsWith('/abandon') ? 'comment=ki%E1%BB%83m+tra&confirm=1' : '{}';
      const res = await makeHandler(r)(httpEvent(method, fill(path), body, [`bc_session=${COOKIE}`]));
      expect(r.asked.every((o) => o !== orgB.id)).toBe(true);
      expect(touchesB()).toEqual([]);
      if (path.includes(':id') || path.includes(':org')) expect([403, 404]).toContain(res.statusCode);
    },
  );

  it('the operators’ API (IAM) reaches B under /api/orgs/<B>/…, and only B', async () => {
    storeSessionAndB();
    const res = await makeHandler(resolver())(httpEvent('GET', `/api/orgs/${orgB.id}/reports/${B_REPORT}`));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body ?? '{}').report.reportId).toBe(B_REPORT);
    const other = await makeHandler(resolver())(httpEvent('GET', `/api/reports/${B_REPORT}`));
    expect(other.statusCode).toBe(404);
  });

  it('a compiler of B signs in at /o/<B>/signin: the link and the session record B', async () => {
    const res = await makeHandler(resolver())(
      httpEvent('POST', `/o/${orgB.id}/signin`, `email=${encodeURIComponent(orgB.compiler.email)}`),
    );
    expect(res.statusCode).toBe(200);
    const put = ddb.commandCalls(PutCommand).find((c) => String(c.args[0].input.Item?.pk).startsWith('SIGNIN#'));
    expect(put?.args[0].input.Item).toMatchObject({ kind: 'link', email: orgB.compiler.email, orgId: orgB.id });
  });

  it('the organization list of a page shows only the compiler’s own', async () => {
    storeSessionAndB();
    ddb.on(QueryCommand).resolves({
      Items: [
        { id: deps().organization.id, agencyName: 'Sở Công Thương', version: 1, updatedAt: 'x' },
        { id: orgB.id, agencyName: 'Sở Tư pháp', version: 1, updatedAt: 'x' },
      ],
    });
    const res = await makeHandler(resolver())(httpEvent('GET', '/orgs', undefined, [`bc_session=${COOKIE}`]));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sở Công Thương');
    expect(res.body).not.toContain('Sở Tư pháp');
  });
});

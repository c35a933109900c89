/**
 * An organization with several report types (Sở Tư pháp: cchc and kstt): the home and period pages
 * list them and keep the one shown on their links and compile form; the compile request names its
 * report type (body or ?type=), and a type the organization does not compile, or a period the type
 * is not compiled for, is refused in Vietnamese before anything is written.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type ApiDeps, type ApiResolver, makeHandler } from '../../functions/api';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { SfnWorkflow } from '../../shared/adapters/aws/sfn-workflow';
import { sha256 } from '../../shared/crypto';
import { organizationForReportType } from '../../shared/domain/ownership';
import { secondOrganization as stp } from '../../shared/sample/binhphuoc-stp';
import { getTemplate } from '../../shared/templates';
import { ddb, deps, httpEvent, NOW, sfn } from './handlers-harness';

const COOKIE = 'session-of-stp';

/** Like the wiring: a type the organization does not compile falls back to its default (cchc). */
function resolver(): ApiResolver & { asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    async forOrg(_orgId, reportType) {
      asked.push(reportType);
      const type = reportType && stp.reportTypes.includes(reportType) ? reportType : 'cchc';
      const template = getTemplate(type, stp);
      const client = new DynamoDBClient({ region: 'ap-southeast-1' });
      return {
        ...deps(),
        organization: organizationForReportType(stp, template),
        template,
        repo: new DynamoRepository('Table', client, { orgId: stp.id, reportType: type }),
        workflow: new SfnWorkflow('arn:aws:states:ap-southeast-1:1:stateMachine:x', new SFNClient({ region: 'ap-southeast-1' })),
      } as ApiDeps;
    },
    defaultOrgId: () => stp.id,
    linkScope: async () => undefined,
  };
}

function signedIn() {
  ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256(COOKIE)}`, sk: 'AUTH' } }).resolves({
    Item: {
      kind: 'session',
      email: stp.compiler.email,
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      status: 'active',
      orgId: stp.id,
    },
  });
  ddb.on(QueryCommand).resolves({ Items: [] });
}

const page = (path: string, type?: string) => ({
  ...httpEvent('GET', path, undefined, [`bc_session=${COOKIE}`]),
  ...(type ? { queryStringParameters: { type } } : {}),
});

describe('an organization with two report types', () => {
  it('lists both on the home page and keeps the one shown on the period links, quarters only for kstt', async () => {
    signedIn();
    const res = await makeHandler(resolver())(page('/', 'kstt'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính');
    expect(res.body).toContain('href="/?type=cchc"');
    const year = NOW.getUTCFullYear(); // the harness's clock: its year is offered
    expect(res.body).toContain(`href="/periods/${year}-Q1?type=kstt"`);
    expect(res.body).not.toContain(`href="/periods/${year}-H1?type=kstt"`);
  });

  it('shows on the period page only the divisions that answer the type, and posts the compile with it', async () => {
    signedIn();
    const res = await makeHandler(resolver())(page('/periods/2021-Q1', 'kstt'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('action="/periods/2021-Q1/compile?type=kstt"');
    expect(res.body).toContain('href="/periods/2021-Q1?type=cchc"');
    expect(res.body).toContain('Phòng Hành chính tư pháp');
    expect(res.body).not.toContain('Thanh tra Sở');
  });

  it('compiles the report type named in the body of POST /api/reports', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const r = resolver();
    const res = await makeHandler(r)(httpEvent('POST', '/api/reports', JSON.stringify({ periodId: '2021-Q1', reportType: 'kstt' })));
    expect(res.statusCode).toBe(201);
    expect(r.asked).toContain('kstt');
    expect(JSON.parse(res.body ?? '{}').reportId).toMatch(/^binhphuoc-stp\.kstt\.2021-Q1-/);
  });

  it('answers a page asked for a report type the organization lacks with that error, not another type’s page', async () => {
    signedIn();
    const res = await makeHandler(resolver())(page('/periods/2021-Q1', 'khong-co'));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Loại báo cáo (tham số type) &quot;khong-co&quot;: Sở Tư pháp không lập loại báo cáo này');
    expect(res.body).not.toContain('action="/periods/2021-Q1/compile');
  });

  it('refuses the page’s compile form posted for a report type the organization lacks, before any write', async () => {
    signedIn();
    const res = await makeHandler(resolver())({
      ...httpEvent('POST', '/periods/2021-Q1/compile', 'confirm=1&reason=th%E1%BB%AD', [`bc_session=${COOKIE}`]),
      queryStringParameters: { type: 'khong-co' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Sở Tư pháp không lập loại báo cáo này');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each([
    [
      { periodId: '2021-Q1', reportType: 'khong-co' },
      'Loại báo cáo (reportType) "khong-co": Sở Tư pháp không lập loại báo cáo này. Các loại báo cáo của tổ chức: cchc, kstt.',
    ],
    [
      { periodId: '2021', reportType: 'kstt' },
      'Kỳ báo cáo (periodId) "2021": loại báo cáo "kstt" chỉ lập theo quý, không lập cho năm 2021.',
    ],
  ])('refuses %j in Vietnamese and writes nothing', async (body, message) => {
    const res = await makeHandler(resolver())(httpEvent('POST', '/api/reports', JSON.stringify(body)));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '{}').message).toBe(message);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { makeHandler as makeIngest } from '../../functions/ingest';
import { makeHandler as makeRelease } from '../../functions/release';
import { makeHandler as makeRequestApproval } from '../../functions/request-approval';
import { DynamoIntakeStore } from '../../shared/adapters/aws/dynamo-intake-store';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository';
import { DynamoSigninStore } from '../../shared/adapters/aws/dynamo-signin-store';
import { S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import { SfnWorkflow } from '../../shared/adapters/aws/sfn-workflow';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import { DEFAULT_INTAKE_OPTIONS } from '../../shared/features/intake/ports';
import type { ApprovalLink, MailMessage, ReportRecord } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const NOW = new Date('2021-12-16T03:00:00Z');

function deps() {
  const sent: MailMessage[] = [];
  return {
    sent,
    repo: new DynamoRepository('Table', new DynamoDBClient({ region: 'ap-southeast-1' })),
    intake: new DynamoIntakeStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' })),
    intakeOptions: DEFAULT_INTAKE_OPTIONS,
    signin: new DynamoSigninStore('Table', new DynamoDBClient({ region: 'ap-southeast-1' })),
    // Presigning signs locally: it needs credentials, never a network call.
    blobs: new S3BlobStore(
      'bucket',
      new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }),
    ),
    mailer: { send: async (m: MailMessage) => (sent.push(m), { messageId: `m${sent.length}` }) },
    workflow: new SfnWorkflow('arn:aws:states:ap-southeast-1:1:stateMachine:x', new SFNClient({ region: 'ap-southeast-1' })),
    template: getTemplate('cchc'),
    organization,
    now: () => NOW,
    baseUrl: 'https://baocao.example',
    local: false,
  };
}

/** The part of an SDK stream body the blob store reads. */
function body(text: string) {
  return { transformToByteArray: async () => new Uint8Array(Buffer.from(text)) };
}

/** Writes to a division's current or versioned submission items (PERIOD#…/DIV#…) — a refusal must make none. */
const submissionWrites = () =>
  [...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(PutCommand)].filter((c) => {
    const input = c.args[0].input as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
    const item = input.Key ?? input.Item ?? {};
    return String(item.pk).startsWith('PERIOD#') && String(item.sk).startsWith('DIV#');
  });

const s3Event = (key: string) => ({
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: { bucket: { name: 'bucket' }, object: { key, etag: 'e1', size: 10 } },
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({ Attributes: {} });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetCommand).resolves({});
});

describe('ingest handler', () => {
  it('refuses a file that is not JSON and leaves the current submission untouched', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 12, ContentType: 'application/json', ETag: '"e1"' });
    s3.on(GetObjectCommand).resolves({ Body: body('{"broken": ') } as never);
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/20211216-030000-abcd.json'));
    expect(res.status).toBe('refused');
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put.Item).toMatchObject({ pk: 'RAW#raw/2021-Q1/VP/20211216-030000-abcd.json', status: 'refused' });
    expect(JSON.stringify(put.Item?.errors)).toContain('JSON');
    expect(submissionWrites()).toHaveLength(0);
  });

  it('refuses an object larger than the POST policy allows (the emulator does not enforce it)', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5 * 1024 * 1024, ContentType: 'application/json', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(submissionWrites()).toHaveLength(0);
  });

  it('refuses a content type other than JSON', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'text/html', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(JSON.stringify(ddb.commandCalls(PutCommand)[0].args[0].input.Item)).toContain('text/html');
  });

  it('refuses a key outside any known division prefix', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'application/json', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/NOPE/x.json'));
    expect(res.status).toBe('refused');
    expect(JSON.stringify(ddb.commandCalls(PutCommand)[0].args[0].input.Item)).toContain('NOPE');
  });

  it('refuses a file whose division differs from its upload prefix', async () => {
    const d = deps();
    const file = JSON.stringify({
      schemaVersion: 1,
      templateId: 'cchc',
      division: 'TTRA',
      period: '2021-Q1',
      indicators: {},
      tables: {},
      narratives: {},
    });
    s3.on(HeadObjectCommand).resolves({ ContentLength: file.length, ContentType: 'application/json', ETag: '"e1"' });
    s3.on(GetObjectCommand).resolves({ Body: body(file) } as never);
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(submissionWrites()).toHaveLength(0);
  });

  it('returns the recorded outcome when the same object is delivered twice', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'application/json', ETag: '"e1"' });
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'RAW#k',
        sk: 'UPLOAD',
        key: 'raw/2021-Q1/VP/x.json',
        etag: 'e1',
        status: 'accepted',
        errors: [],
        warnings: [],
        version: 3,
      },
    });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res).toMatchObject({ status: 'accepted', version: 3 });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

const report = (over: Partial<ReportRecord> = {}): ReportRecord => ({
  reportId: '2021-r1',
  periodId: '2021',
  status: 'awaiting_approval',
  requestedBy: 'c@x',
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  drafts: [{ version: 1, key: 'drafts/2021-r1/v1/a.docx', sha256: 'd1', fileName: 'a.docx', createdAt: NOW.toISOString() }],
  currentStep: 0,
  decisions: [],
  ...over,
});

const link = (over: Partial<ApprovalLink> = {}): ApprovalLink => ({
  linkHash: sha256('secret-1'),
  reportId: '2021-r1',
  periodId: '2021',
  stepIndex: 0,
  role: 'Chánh Văn phòng',
  approverEmail: 'binh.cvp@sct-dongnai.example',
  approverName: 'Lương Văn Bình',
  taskToken: 'TOKEN-1',
  draftSha256: 'd1',
  draftKey: 'drafts/2021-r1/v1/a.docx',
  draftVersion: 1,
  createdAt: NOW.toISOString(),
  expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
  status: 'pending',
  ...over,
});

const httpEvent = (method: string, path: string, bodyText?: string, cookies?: string[]) => ({
  rawPath: path,
  cookies,
  headers: { host: 'baocao.example' },
  body: bodyText,
  requestContext: { http: { method, sourceIp: '10.0.0.1' } },
});

function storeLinkAndReport(l: ApprovalLink, r: ReportRecord) {
  ddb.on(GetCommand, { Key: { pk: `APPROVAL#${l.linkHash}`, sk: 'LINK' } }).resolves({ Item: { pk: 'x', sk: 'LINK', ...l } });
  ddb.on(GetCommand, { Key: { pk: `REPORT#${r.reportId}`, sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
}

describe('api handler: decision links', () => {
  it('GET shows the confirm page and changes nothing', async () => {
    storeLinkAndReport(link(), report());
    const res = await makeApi(deps)(httpEvent('GET', '/decision/secret-1'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Đồng ý');
    expect(res.body).toContain('Trả lại');
    expect(sfn.calls()).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('POST approve consumes the link once and resumes the workflow at the next step', async () => {
    storeLinkAndReport(link(), report());
    sfn.on(SendTaskSuccessCommand).resolves({});
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=approve&comment='));
    expect(res.statusCode).toBe(200);
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input;
    expect(call.taskToken).toBe('TOKEN-1');
    expect(JSON.parse(call.output ?? '{}')).toEqual({ decision: 'approve', decidedBy: 'binh.cvp@sct-dongnai.example' });
    const consume = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === `APPROVAL#${sha256('secret-1')}`);
    expect(consume?.args[0].input.ConditionExpression).toBe('#s = :pending');
  });

  it('POST return without a comment is refused and changes nothing', async () => {
    storeLinkAndReport(link(), report());
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=return&comment=%20'));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('ghi ý kiến');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('POST return fails the task with the comment as cause and records the divisions named', async () => {
    storeLinkAndReport(link(), report());
    sfn.on(SendTaskFailureCommand).resolves({});
    const res = await makeApi(deps)(
      httpEvent(
        'POST',
        '/decision/secret-1',
        `decision=return&divisions=VP&divisions=NOPE&comment=${encodeURIComponent('Bổ sung số liệu quý IV')}`,
      ),
    );
    expect(res.statusCode).toBe(200);
    expect(sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input).toMatchObject({
      taskToken: 'TOKEN-1',
      error: 'Rejected',
      cause: 'Bổ sung số liệu quý IV',
    });
    const update = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === 'REPORT#2021-r1');
    const decisions = Object.values(update?.args[0].input.ExpressionAttributeValues ?? {}).find(Array.isArray) as Array<
      Record<string, unknown>
    >;
    expect(decisions.at(-1)).toMatchObject({ decision: 'return', comment: 'Bổ sung số liệu quý IV', divisions: ['VP'] });
  });

  it('a superseded link (reminder, resend, or another approver decided) says so and changes nothing', async () => {
    storeLinkAndReport(link({ status: 'superseded' }), report());
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=approve'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('liên kết mới hơn');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a replayed link answers "already used" and does not touch the workflow', async () => {
    storeLinkAndReport(link({ status: 'used' }), report());
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=approve'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('đã được sử dụng');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('an expired link changes nothing', async () => {
    storeLinkAndReport(link({ expiresAt: new Date(NOW.getTime() - 1).toISOString() }), report());
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=approve'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('hết hạn');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a forged id answers a clear page and changes nothing', async () => {
    const res = await makeApi(deps)(httpEvent('POST', '/decision/forged', 'decision=approve'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('không hợp lệ');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a link for another draft than the current one is stale', async () => {
    storeLinkAndReport(link({ draftSha256: 'old' }), report());
    const res = await makeApi(deps)(httpEvent('POST', '/decision/secret-1', 'decision=approve'));
    expect(res.statusCode).toBe(410);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('api handler: report view', () => {
  it('marks a report whose execution ended outside the pipeline (state machine timeout) instead of leaving it waiting', async () => {
    const r = report({ executionArn: 'arn:exec:1', status: 'returned', revisionToken: 'TOKEN-R' });
    ddb.on(GetCommand, { Key: { pk: 'REPORT#2021-r1', sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
    ddb.on(UpdateCommand).callsFake((input) => ({
      Attributes: {
        ...r,
        ...Object.fromEntries(
          Object.values(input.ExpressionAttributeNames ?? {}).map((n, i) => [n, input.ExpressionAttributeValues?.[`:v${i}`]]),
        ),
      },
    }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'TIMED_OUT', startDate: NOW });
    const res = await makeApi(deps)(httpEvent('GET', '/api/reports/2021-r1'));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body ?? '{}');
    expect(body.report).toMatchObject({ status: 'timed_out', failure: { error: 'TIMED_OUT' } });
    expect(body.report.revisionToken).toBeUndefined();
  });
});

describe('api handler: uploads', () => {
  it('names the field when the division is unknown', async () => {
    const res = await makeApi(deps)(httpEvent('POST', '/api/uploads', JSON.stringify({ division: 'XX', period: '2021-Q1' })));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '{}').message).toContain('Đơn vị (division)');
  });

  it('issues a presigned POST under the division prefix with size and type conditions', async () => {
    const res = await makeApi(deps)(httpEvent('POST', '/api/uploads', JSON.stringify({ division: 'VP', period: '2021-Q1' })));
    expect(res.statusCode).toBe(200);
    const data = JSON.parse(res.body ?? '{}');
    expect(data.key).toMatch(/^raw\/2021-Q1\/VP\/.+\.json$/);
    const policy = JSON.parse(Buffer.from(data.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 1024 * 1024]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/json']);
    expect(policy.conditions).toContainEqual(['eq', '$key', data.key]);
  });
});

describe('request-approval handler', () => {
  it('stores only the hash of the link secret, next to the task token, and mails the link', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...report() } });
    const d = deps();
    await makeRequestApproval(() => d)({
      taskToken: 'TOKEN-9',
      reportId: '2021-r1',
      periodId: '2021',
      approval: {
        stepIndex: 0,
        phase: 'waiting',
        timeoutSeconds: 86400,
        deadline: '2021-12-20T03:00:00.000Z',
        stepStartedAt: NOW.toISOString(),
        done: false,
        expired: false,
      },
      draft: { key: 'drafts/2021-r1/v1/a.docx', sha256: 'd1', version: 1 },
    });
    const stored = ddb
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((i) => String(i?.pk).startsWith('APPROVAL#'));
    const secret = /\/decision\/([A-Za-z0-9_-]+)/.exec(d.sent[0].text)?.[1] ?? '';
    expect(secret.length).toBeGreaterThan(30);
    expect(stored).toMatchObject({
      linkHash: sha256(secret),
      taskToken: 'TOKEN-9',
      stepIndex: 0,
      draftSha256: 'd1',
      status: 'pending',
      expiresAt: '2021-12-20T03:00:00.000Z',
    });
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(d.sent[0].subject).toContain('Cần phê duyệt');
    expect(d.sent[0].html).toContain(`/decision/${secret}`);
    // A presigned, expiring link to the draft itself.
    expect(d.sent[0].text).toMatch(/X-Amz-Expires=\d+/);
  });

  it("supersedes the step's earlier links before a reminder goes out", async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...report() } });
    ddb.on(QueryCommand).resolves({ Items: [{ pk: `APPROVAL#old`, sk: 'LINK', ...link({ linkHash: 'old' }) }] });
    const d = deps();
    await makeRequestApproval(() => d)({
      taskToken: 'TOKEN-9',
      reportId: '2021-r1',
      periodId: '2021',
      approval: {
        stepIndex: 0,
        phase: 'reminded',
        timeoutSeconds: 3600,
        deadline: '2021-12-20T03:00:00.000Z',
        stepStartedAt: NOW.toISOString(),
        done: false,
        expired: false,
      },
      draft: { key: 'drafts/2021-r1/v1/a.docx', sha256: 'd1', version: 1 },
    });
    const superseded = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === 'APPROVAL#old');
    expect(superseded?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':new': 'superseded' });
    expect(d.sent[0].subject).toContain('[Nhắc phê duyệt]');
  });

  it('adds the deputies when the step escalates', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...report() } });
    const d = deps();
    await makeRequestApproval(() => d)({
      taskToken: 'TOKEN-9',
      reportId: '2021-r1',
      periodId: '2021',
      approval: {
        stepIndex: 0,
        phase: 'escalated',
        timeoutSeconds: 3600,
        deadline: '2021-12-21T03:00:00.000Z',
        stepStartedAt: NOW.toISOString(),
        done: false,
        expired: false,
      },
      draft: { key: 'drafts/2021-r1/v1/a.docx', sha256: 'd1', version: 1 },
    });
    const to = d.sent.flatMap((m) => m.to);
    expect(to).toEqual([organization.approvalChain[0].approvers[0].email, organization.approvalChain[0].deputies[0].email]);
    expect(d.sent[0].subject).toContain('[Quá hạn');
  });
});

describe('release handler', () => {
  it('takes the next number of the year atomically and writes the final document to released/', async () => {
    const r = report({ aggregateKey: 'drafts/2021-r1/aggregate.json' });
    ddb.on(GetCommand, { Key: { pk: 'REPORT#2021-r1', sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
    ddb.on(UpdateCommand, { Key: { pk: `COUNTER#${organization.id}#2021`, sk: 'DOCNO' } }).resolves({ Attributes: { value: 5 } });
    const { aggregate } = await import('../../shared/domain/aggregate');
    const { parsePeriod } = await import('../../shared/domain/periods');
    const agg = aggregate(getTemplate('cchc'), organization, parsePeriod('2021'), []);
    s3.on(GetObjectCommand).resolves({ Body: body(JSON.stringify(agg)) } as never);
    s3.on(PutObjectCommand).resolves({ ETag: '"x"' });
    const d = deps();
    const res = await makeRelease(() => d)({ reportId: '2021-r1', periodId: '2021' });
    expect(res.documentNumber).toBe('Số: 05/BC-SCT');
    const counter = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === `COUNTER#${organization.id}#2021`);
    expect(counter?.args[0].input.UpdateExpression).toBe('ADD #n :one');
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toMatch(/^released\/2021\/.+\.docx$/);
    expect(d.sent[0].subject).toContain('05/BC-SCT');
    expect(d.sent[0].text).toMatch(/\/download\/[A-Za-z0-9_-]+/);
  });
});

describe('api handler: compiler sign-in (AWS, no local bypass)', () => {
  it('mails a single-use link only to the compiler, with the same answer for anyone', async () => {
    const d = deps();
    const other = await makeApi(() => d)(httpEvent('POST', '/signin', 'email=ke.la%40x.example'));
    const compiler = await makeApi(() => d)(
      httpEvent('POST', '/signin', `email=${encodeURIComponent(organization.compiler.email.toUpperCase())}`),
    );
    expect(other.body).toBe(compiler.body);
    expect(d.sent.map((m) => m.to)).toEqual([[organization.compiler.email]]);
    const secret = /\/signin\/([A-Za-z0-9_-]+)/.exec(d.sent[0].text)?.[1] ?? '';
    const stored = ddb
      .commandCalls(PutCommand)
      .map((c) => c.args[0].input.Item)
      .find((i) => String(i?.pk).startsWith('SIGNIN#'));
    expect(stored).toMatchObject({ pk: `SIGNIN#${sha256(secret)}`, kind: 'link', status: 'pending' });
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('GET on the link only shows a button; POST opens an HttpOnly, Secure, SameSite=Strict session', async () => {
    const link = {
      pk: 'x',
      sk: 'AUTH',
      kind: 'link',
      email: organization.compiler.email,
      expiresAt: new Date(NOW.getTime() + 600_000).toISOString(),
      status: 'pending',
    };
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('s1')}`, sk: 'AUTH' } }).resolves({ Item: link });
    const view = await makeApi(deps)(httpEvent('GET', '/signin/s1'));
    expect(view.statusCode).toBe(200);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);

    const done = await makeApi(deps)(httpEvent('POST', '/signin/s1'));
    expect(done.statusCode).toBe(302);
    expect(done.cookies?.[0]).toMatch(/^bc_session=[A-Za-z0-9_-]{40,}; Path=\/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict$/);
    const consume = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.pk === `SIGNIN#${sha256('s1')}`);
    expect(consume?.args[0].input.ConditionExpression).toBe('#s = :pending');
  });

  it('refuses a used link', async () => {
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('s2')}`, sk: 'AUTH' } }).resolves({
      Item: { pk: 'x', sk: 'AUTH', kind: 'link', email: 'a', expiresAt: new Date(NOW.getTime() + 600_000).toISOString(), status: 'used' },
    });
    const res = await makeApi(deps)(httpEvent('POST', '/signin/s2'));
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('đã được sử dụng');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('sends a visitor without a session from an operator page to the sign-in, and lets a session through', async () => {
    const anonymous = await makeApi(deps)(httpEvent('GET', '/periods/2021'));
    expect(anonymous).toMatchObject({ statusCode: 302, headers: { location: '/signin' } });

    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('sess')}`, sk: 'AUTH' } }).resolves({
      Item: {
        pk: 'x',
        sk: 'AUTH',
        kind: 'session',
        email: organization.compiler.email,
        expiresAt: new Date(NOW.getTime() + 3600_000).toISOString(),
        status: 'active',
      },
    });
    ddb.on(QueryCommand).resolves({ Items: [] });
    const signedIn = await makeApi(deps)(httpEvent('GET', '/periods/2021', undefined, ['bc_session=sess']));
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toContain('Tình hình nộp số liệu');

    const expired = {
      pk: 'x',
      sk: 'AUTH',
      kind: 'session',
      email: 'a',
      expiresAt: new Date(NOW.getTime() - 1).toISOString(),
      status: 'active',
    };
    ddb.on(GetCommand, { Key: { pk: `SIGNIN#${sha256('old')}`, sk: 'AUTH' } }).resolves({ Item: expired });
    expect((await makeApi(deps)(httpEvent('GET', '/periods/2021', undefined, ['bc_session=old']))).statusCode).toBe(302);
  });
});

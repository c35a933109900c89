import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { makeHandler as makeRelease } from '../../functions/release';
import { organization } from '../../shared/config';
import { getTemplate } from '../../shared/templates';
import { body, ddb, deps, httpEvent, NOW, pk, report, s3, sfn } from './handlers-harness';

describe('api handler: report view', () => {
  it('marks a report whose execution ended outside the pipeline (state machine timeout) instead of leaving it waiting', async () => {
    const r = report({ executionArn: 'arn:exec:1', status: 'returned', revisionToken: 'TOKEN-R' });
    ddb.on(GetCommand, { Key: { pk: pk('REPORT', '2021-r1'), sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
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

  it('never answers the editing desk task token', async () => {
    const r = report({ executionArn: 'arn:exec:1', status: 'editing', deskToken: 'TOKEN-D', desk: true });
    ddb.on(GetCommand, { Key: { pk: pk('REPORT', '2021-r1'), sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: NOW });
    const res = await makeApi(deps)(httpEvent('GET', '/api/reports/2021-r1'));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body ?? '{}');
    expect(body.report).toMatchObject({ status: 'editing', desk: true });
    expect(res.body).not.toContain('TOKEN-D');
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

describe('release handler', () => {
  it('reserves the next number of the register once and writes the final document to released/', async () => {
    const r = report({ aggregateKey: 'drafts/2021-r1/aggregate.json' });
    ddb.on(GetCommand, { Key: { pk: pk('REPORT', '2021-r1'), sk: 'META' } }).resolves({ Item: { pk: 'x', sk: 'META', ...r } });
    ddb.on(QueryCommand, { Limit: 1 }).resolves({ Items: [{ number: 4 }] }); // highest entry of 2021; none of this report
    const { aggregate } = await import('../../shared/domain/aggregate');
    const { parsePeriod } = await import('../../shared/domain/periods');
    const agg = aggregate(getTemplate('cchc'), organization, parsePeriod('2021'), []);
    s3.on(GetObjectCommand).resolves({ Body: body(JSON.stringify(agg)) } as never);
    s3.on(PutObjectCommand).resolves({ ETag: '"x"' });
    const counted: string[] = [];
    const d = { ...deps(), metrics: { count: (name: string) => counted.push(name), timing: () => {} } };
    const res = await makeRelease(() => d)({ reportId: '2021-r1', periodId: '2021' });
    expect(res).toMatchObject({ number: 5, documentNumber: 'Số: 05/BC-SCT' });
    const entry = ddb.commandCalls(PutCommand).find((c) => String(c.args[0].input.Item?.pk).startsWith('REGISTER#'));
    expect(entry?.args[0].input).toMatchObject({
      Item: { pk: `REGISTER#${organization.id}#2021`, sk: 'NO#0000005', reportId: '2021-r1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const flip = ddb.commandCalls(UpdateCommand).find((c) => String(c.args[0].input.UpdateExpression).includes(':released'));
    expect(flip?.args[0].input.ConditionExpression).toBe('#s = :approved AND numbering.#n = :n');
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(put.Key).toMatch(/^released\/2021\/.+\.docx$/);
    expect(d.sent).toEqual([]); // recipients are told by their own step
    expect(counted).toEqual(['ReportsReleased']);
  });
});

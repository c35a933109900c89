import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { makeHandler as makeRequestApproval } from '../../functions/request-approval';
import { organization } from '../../shared/config';
import { sha256 } from '../../shared/crypto';
import { ddb, deps, httpEvent, link, NOW, pk, report, sfn, storeLinkAndReport } from './handlers-harness';

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
    const update = ddb
      .commandCalls(UpdateCommand)
      .find((c) => c.args[0].input.Key?.pk === pk('REPORT', '2021-r1') && c.args[0].input.Key?.sk === 'META');
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
    // A short link to the draft (the route mints the presigned GET on each click), never a presigned URL in the text.
    expect(d.sent[0].text).toContain(`/decision/${secret}/draft`);
    expect(d.sent[0].text).not.toMatch(/X-Amz-/);
    expect(d.sent[0].subject).toContain('dự thảo lần 1');
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

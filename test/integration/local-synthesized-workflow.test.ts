import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../../infra/synth';
import { extractStateMachine } from '../../infra/local/definition';
import { LocalStepFunctions, type LambdaHandler } from '../../infra/local/stepfunctions';

/** The synthesized pipeline on the local runner, with fake handlers: proves the adapter, not the handlers. */
describe('synthesized state machine on LocalStepFunctions', () => {
  let extracted: ReturnType<typeof extractStateMachine>;
  let sfn: LocalStepFunctions | undefined;
  let calls: Array<{ handler: string; event: any }>;

  beforeAll(() => {
    extracted = extractStateMachine(synthTemplate());
  });
  afterEach(async () => {
    await sfn?.close();
    sfn = undefined;
  });

  const start = (timeScale = 1) => {
    calls = [];
    const fake = (handler: string): LambdaHandler => async (event: any) => {
      calls.push({ handler, event });
      switch (handler) {
        case 'validate':
          return { ok: true, approvalTimeoutSeconds: 172_800 };
        case 'build-docx':
          return { key: 'drafts/r1.docx', sha256: 'abc' };
        case 'request-approval':
          return { sent: true };
        default:
          return { handled: handler };
      }
    };
    sfn = new LocalStepFunctions({ ...extracted, timeScale, resolveHandler: fake });
    return sfn;
  };

  const awaitStep = async (arn: string, stepIndex: number) => {
    const r = await sfn!.waitForExecution(arn, (x) => x.waiting !== undefined && calls.filter((c) => c.handler === 'request-approval').length === stepIndex + 1);
    return r.waiting!.token;
  };

  it('runs validate → aggregate → draft → two approvals → release', async () => {
    const { executionArn } = await start().startExecution({ name: 'r1', input: { reportId: 'r1', periodId: '2021' } });

    const t0 = await awaitStep(executionArn, 0);
    sfn!.sendTaskSuccess(t0, JSON.stringify({ stepIndex: 1, done: false, timeoutSeconds: 172_800 }));
    const t1 = await awaitStep(executionArn, 1);
    sfn!.sendTaskSuccess(t1, JSON.stringify({ stepIndex: 2, done: true, timeoutSeconds: 172_800 }));
    const done = await sfn!.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.handler)).toEqual(['validate', 'aggregate', 'build-docx', 'request-approval', 'request-approval', 'release']);
    const approval = calls.find((c) => c.handler === 'request-approval')!.event;
    expect(approval).toMatchObject({ taskToken: t0, reportId: 'r1', periodId: '2021', stepIndex: 0, draft: { key: 'drafts/r1.docx' } });
    expect(calls.at(-1)!.event.draft).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { key: 'drafts/r1.docx', sha256: 'abc' } });
  });

  it('records a rejection and fails the execution as Rejected', async () => {
    const { executionArn } = await start().startExecution({ name: 'r2', input: { reportId: 'r2', periodId: '2021' } });
    const t0 = await awaitStep(executionArn, 0);

    sfn!.sendTaskFailure(t0, 'Rejected', 'Thiếu số liệu của Thanh tra Sở');
    const done = await sfn!.waitForExecution(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected' });
    expect(calls.at(-1)).toMatchObject({ handler: 'record-failure', event: { error: { Error: 'Rejected', Cause: 'Thiếu số liệu của Thanh tra Sở' } } });
  });

  it('times an unanswered approval out (48 h scaled down) and fails as ApprovalTimedOut', async () => {
    const { executionArn } = await start(172_800 / 0.2).startExecution({ name: 'r3', input: { reportId: 'r3', periodId: '2021' } });

    const done = await sfn!.waitForExecution(executionArn);

    expect(done).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut' });
    expect(calls.at(-1)).toMatchObject({ handler: 'record-failure', event: { error: { Error: 'States.Timeout' } } });
  });
});

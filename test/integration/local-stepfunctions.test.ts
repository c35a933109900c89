import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import { LocalStepFunctions, type SfnEndpoint, startSfnEndpoint, type TaskMapping } from '../../infra/local/sfn';
import definition from '../fixtures/local-sfn-definition.json' with { type: 'json' };

const tasks: Record<string, TaskMapping> = {
  Compute: { handler: 'compute', waitForTaskToken: false, resource: 'arn:aws:states:::lambda:invoke' },
  AwaitApproval: { handler: 'approve', waitForTaskToken: true, resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken' },
};

describe('LocalStepFunctions', () => {
  let sfn: LocalStepFunctions;
  let endpoint: SfnEndpoint;
  let client: SFNClient;
  let approvalEvents: any[];
  let dir: string;

  const start = async (timeScale = 1) => {
    sfn = new LocalStepFunctions({
      definition,
      tasks,
      timeScale,
      stateFile: join(dir, 'executions.json'),
      resolveHandler: async (name) => {
        if (name === 'compute') return async (event: { a: number; b: number }) => ({ sum: event.a + event.b });
        if (name === 'approve')
          return async (event: unknown) => {
            approvalEvents.push(event);
            return { sent: true };
          };
        throw new Error(`unknown handler ${name}`);
      },
    });
    endpoint = await startSfnEndpoint(sfn);
    client = new SFNClient({
      endpoint: endpoint.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  };

  beforeEach(() => {
    approvalEvents = [];
    dir = mkdtempSync(join(tmpdir(), 'baocao-sfn-'));
  });
  afterEach(async () => {
    client?.destroy();
    await sfn?.close();
    await endpoint?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const startAndWaitForApproval = async (input: object) => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: sfn.stateMachineArn, name: 'run-1', input: JSON.stringify(input) }),
    );
    const waiting = await sfn.waitForExecution(executionArn!, (r) => r.waiting !== undefined);
    return { executionArn: executionArn!, token: waiting.waiting!.token };
  };

  it('passes the Lambda payload, lands the result at Payload and waits for SendTaskSuccess', async () => {
    await start();
    const { executionArn, token } = await startAndWaitForApproval({ a: 2, b: 3, approvalTimeoutSeconds: 3600 });

    expect(approvalEvents).toEqual([{ taskToken: token, sum: 5, executionId: executionArn }]);
    expect(token).toMatch(/^[A-Za-z0-9_-]{64,}$/);
    const running = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(running.status).toBe('RUNNING');
    expect(running.startDate).toBeInstanceOf(Date);

    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, by: 'Lương Văn Bình' }) }));
    await sfn.waitForExecution(executionArn);

    const done = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.computed).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { sum: 5 } });
    expect(output.decision).toEqual({ approved: true, by: 'Lương Văn Bình' });
    const list = await client.send(new ListExecutionsCommand({ stateMachineArn: sfn.stateMachineArn }));
    expect(list.executions?.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('refuses a second SendTaskSuccess with the same token', async () => {
    await start();
    const { executionArn, token } = await startAndWaitForApproval({ a: 1, b: 1, approvalTimeoutSeconds: 3600 });
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await sfn.waitForExecution(executionArn);

    const again = client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await expect(again).rejects.toMatchObject({ name: expect.stringMatching(/^(TaskDoesNotExist|InvalidToken)$/) });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'not a token', output: '{}' }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
  });

  it('routes SendTaskFailure with error Rejected to the Catch on Rejected', async () => {
    await start();
    const { executionArn, token } = await startAndWaitForApproval({ a: 1, b: 1, approvalTimeoutSeconds: 3600 });
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'Thiếu số liệu quý' }));
    const done = await sfn.waitForExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReportRejected', cause: 'returned by approver' });
  });

  it('fires States.Timeout from a scaled TimeoutSecondsPath, not the States.TaskFailed catcher', async () => {
    await start(172_800 / 0.2); // 48 h become 200 ms
    const { executionArn, token } = await startAndWaitForApproval({ a: 1, b: 1, approvalTimeoutSeconds: 172_800 });
    const done = await sfn.waitForExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut' });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('names a handler failure by its error name so Catch can match it', async () => {
    sfn = new LocalStepFunctions({
      definition,
      tasks,
      resolveHandler: async () => async () => {
        const e = new Error('Số liệu không hợp lệ');
        e.name = 'ValidationError';
        throw e;
      },
    });
    endpoint = await startSfnEndpoint(sfn);
    const { executionArn } = await sfn.startExecution({ input: { a: 1, b: 2 } });
    const done = await sfn.waitForExecution(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('ValidationError');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'Số liệu không hợp lệ' });
  });

  it('marks executions that were running as ABORTED after a restart', async () => {
    await start();
    const { executionArn } = await startAndWaitForApproval({ a: 1, b: 1, approvalTimeoutSeconds: 3600 });
    await sfn.close();
    await endpoint.stop();

    await start();
    const r = sfn.describeExecution(executionArn);
    expect(r).toMatchObject({ status: 'ABORTED', cause: 'Hệ thống cục bộ đã khởi động lại' });
    expect(r.waiting).toBeUndefined();
  });
});

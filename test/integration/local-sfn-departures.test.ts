import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import {
  type AslMachine,
  type AslState,
  DEPARTURES,
  type DepartureId,
  ENDPOINT_OPERATIONS,
  HIDDEN_TIMEOUT_KEY,
  type LambdaHandler,
  LOCAL_TIMEOUT_FAIL_STATE,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  MAX_TIMEOUT_SECONDS,
  prepareDefinition,
  RESTART_CAUSE,
  type Retrier,
  type SfnEndpoint,
  scaledTimeoutMs,
  scaledWaits,
  startSfnEndpoint,
  TASK_TOKEN_PLACEHOLDER,
  type TaskMapping,
  withTaskToken,
} from '../../infra/local/sfn';
import { TransientError } from '../../shared/transient-errors';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const HOUR = 3600;
/** One hour of human time in 100 ms. */
const FAST = HOUR / 0.1;

const task = (resource: string, extra: Partial<AslState> = {}): AslState => ({
  Type: 'Task',
  Resource: resource,
  Parameters: { FunctionName: 'fn', 'Payload.$': '$' },
  ...extra,
});
const waitTask = (extra: Partial<AslState> = {}): AslState =>
  task(WAIT, { Parameters: { FunctionName: 'fn', Payload: { 'token.$': '$$.Task.Token' } }, ...extra });
const machine = (states: Record<string, AslState>, extra: Partial<AslMachine> = {}): AslMachine => ({
  StartAt: Object.keys(states)[0],
  States: states,
  ...extra,
});
const tasksOf = (def: AslMachine): Record<string, TaskMapping> =>
  Object.fromEntries(
    Object.entries(def.States)
      .filter(([, s]) => s.Type === 'Task')
      .map(([name, s]) => [name, { handler: name, waitForTaskToken: s.Resource === WAIT, resource: s.Resource ?? '' }]),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let open: LocalStepFunctions[] = [];
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const sfn of open) await sfn.close();
  for (const c of cleanup) await c();
  open = [];
  cleanup = [];
});

function runtime(definition: AslMachine, handlers: Record<string, LambdaHandler>, opts: Partial<LocalStepFunctionsOptions> = {}) {
  const sfn = new LocalStepFunctions({
    definition,
    tasks: tasksOf(definition),
    resolveHandler: (name) => handlers[name] ?? (() => ({ ok: name })),
    ...opts,
  });
  open.push(sfn);
  return sfn;
}

async function runToEnd(definition: AslMachine, handlers: Record<string, LambdaHandler>, opts: Partial<LocalStepFunctionsOptions> = {}) {
  const sfn = runtime(definition, handlers, opts);
  const { executionArn } = await sfn.startExecution({ input: opts.stateFile ? {} : { t: 1 } });
  return sfn.waitForExecution(executionArn);
}

const hang: LambdaHandler = () => new Promise(() => undefined);

/** One proof per departure; typed by DepartureId, so a new departure without a proof does not compile. */
const proofs: Record<DepartureId, () => Promise<void>> = {
  'task-timeouts-by-adapter': async () => {
    const def = machine({ Work: task(INVOKE, { TimeoutSeconds: 1, End: true }) });
    const prepared = prepareDefinition(def);
    expect(prepared.definition.States.Work.TimeoutSeconds).toBe(MAX_TIMEOUT_SECONDS);
    expect(prepared.timeouts.Work).toEqual({ seconds: 1 });
    expect(def.States.Work.TimeoutSeconds).toBe(1); // the original is left as it is

    const started = Date.now();
    const done = await runToEnd(def, { Work: hang });
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  },

  'timeout-path-hidden-parameter': async () => {
    const def = machine({
      Work: task(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:fn`, {
        InputPath: '$.inner',
        Parameters: { 'value.$': '$.x' },
        TimeoutSecondsPath: '$.t',
        End: true,
      }),
    });
    const prepared = prepareDefinition(def);
    expect(prepared.definition.States.Work.Parameters).toEqual({ 'value.$': '$.x', [`${HIDDEN_TIMEOUT_KEY}.$`]: '$.t' });
    expect(prepared.definition.States.Work.TimeoutSecondsPath).toBeUndefined();
    expect(prepared.timeouts.Work).toEqual({ path: '$.t', viaParameters: true });

    const events: unknown[] = [];
    const sfn = runtime(def, { Work: (e: unknown) => (events.push(e), 'ok') });
    // $.t exists only after InputPath: AWS, reading the state input, would fail with States.Runtime.
    const { executionArn } = await sfn.startExecution({ input: { inner: { t: 60, x: 7 } } });
    expect(await sfn.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', output: 'ok' });
    expect(events).toEqual([{ value: 7 }]); // the hidden field never reaches the handler
  },

  'timeouts-clamped': async () => {
    expect(scaledTimeoutMs(30 * 24 * HOUR, 1)).toBe(MAX_TIMEOUT_SECONDS * 1000);
    expect(MAX_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);

    const sfn = runtime(machine({ Wait: waitTask({ TimeoutSeconds: 30 * 24 * HOUR, End: true }) }), {});
    const { executionArn } = await sfn.startExecution({});
    await sfn.waitForExecution(executionArn, (r) => r.waiting !== undefined);
    await sleep(100); // an overflowing setTimeout would have fired after 1 ms
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'RUNNING', waiting: { stateName: 'Wait' } });
  },

  'human-time-scaled': async () => {
    const def = machine({
      Work: task(INVOKE, { TimeoutSeconds: 1, ResultPath: '$.work', Next: 'Wait' }),
      Wait: waitTask({ TimeoutSeconds: HOUR, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'WaitTimedOut' }], End: true }),
      WaitTimedOut: { Type: 'Fail', Error: 'WaitTimedOut' },
    });
    const started = Date.now();
    // 1 s scaled by FAST would be 1 ms; the Lambda task takes 200 ms and still succeeds.
    const done = await runToEnd(def, { Work: () => sleep(200).then(() => 'worked') }, { timeScale: FAST });
    expect(done).toMatchObject({ status: 'FAILED', error: 'WaitTimedOut' });
    expect(Date.now() - started).toBeLessThan(10_000); // the hour of waiting took about 100 ms (seconds on a loaded machine)
  },

  'execution-timeout-by-adapter': async () => {
    const def = machine({ Wait: waitTask({ End: true }) }, { TimeoutSeconds: HOUR });
    const prepared = prepareDefinition(def);
    expect(prepared.definition.TimeoutSeconds).toBeUndefined();
    expect(prepared.executionTimeoutSeconds).toBe(HOUR);

    const done = await runToEnd(def, {}, { timeScale: FAST });
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  },

  'timeout-guard-matchers': async () => {
    const def = machine({
      OnlyTaskFailed: waitTask({
        TimeoutSeconds: HOUR,
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Other' }],
        Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 3 }],
        End: true,
      }),
      TaskFailedThenAll: task(INVOKE, {
        Catch: [
          { ErrorEquals: ['States.TaskFailed'], Next: 'Other' },
          { ErrorEquals: ['States.ALL'], Next: 'Timer', ResultPath: '$.e' },
        ],
        End: true,
      }),
      Other: { Type: 'Fail', Error: 'Other' },
      Timer: { Type: 'Fail', Error: 'Timer' },
    });
    const rewritten = prepareDefinition(def).definition.States;
    expect(rewritten.OnlyTaskFailed.Catch?.[0]).toEqual({ ErrorEquals: ['States.Timeout'], Next: LOCAL_TIMEOUT_FAIL_STATE });
    expect(rewritten.OnlyTaskFailed.Retry?.[0]).toEqual({ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 });
    expect(rewritten[LOCAL_TIMEOUT_FAIL_STATE]).toEqual({ Type: 'Fail', Error: 'States.Timeout', Cause: '' });
    expect(rewritten.TaskFailedThenAll.Catch?.[0]).toEqual({ ErrorEquals: ['States.Timeout'], Next: 'Timer', ResultPath: '$.e' });

    // At run time a timeout skips the States.TaskFailed catcher and retrier, as on AWS.
    let calls = 0;
    const runnable = machine({ OnlyTaskFailed: def.States.OnlyTaskFailed, Other: def.States.Other });
    const done = await runToEnd(runnable, { OnlyTaskFailed: () => void calls++ }, { timeScale: FAST });
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(calls).toBe(1);
  },

  'task-token-placeholder': async () => {
    expect(withTaskToken({ a: { token: TASK_TOKEN_PLACEHOLDER } }, 'T1')).toEqual({ a: { token: 'T1' } });
    const def = machine({
      First: waitTask({ ResultPath: '$.first', Next: 'Second' }),
      Second: waitTask({ ResultPath: '$.second', End: true }),
    });
    const tokens: string[] = [];
    const remember: LambdaHandler = (e: { token: string }) => void tokens.push(e.token);
    const sfn = runtime(def, { First: remember, Second: remember });
    const { executionArn } = await sfn.startExecution({});
    await sfn.waitForExecution(executionArn, (r) => r.waiting?.stateName === 'First');
    sfn.sendTaskSuccess(tokens[0], '{}');
    await sfn.waitForExecution(executionArn, (r) => r.waiting?.stateName === 'Second');
    sfn.sendTaskSuccess(tokens[1], '{}');
    expect(await sfn.waitForExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    expect(tokens).not.toContain(TASK_TOKEN_PLACEHOLDER);
  },

  'aborted-on-restart': async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baocao-departures-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const def = machine({ Wait: waitTask({ End: true }) });
    const stateFile = join(dir, 'executions.json');
    const first = runtime(def, {}, { stateFile });
    const { executionArn } = await first.startExecution({});
    await first.waitForExecution(executionArn, (r) => r.waiting !== undefined);
    await first.close();

    const second = runtime(def, {}, { stateFile });
    expect(second.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', cause: RESTART_CAUSE });
  },

  'heartbeat-not-enforced': async () => {
    const sfn = runtime(machine({ Wait: waitTask({ HeartbeatSeconds: 1, End: true }) }), {});
    const { executionArn } = await sfn.startExecution({});
    const waiting = await sfn.waitForExecution(executionArn, (r) => r.waiting !== undefined);
    sfn.sendTaskHeartbeat(waiting.waiting?.token ?? '');
    await sleep(1_300); // on AWS the task would have failed with States.HeartbeatTimeout
    expect(sfn.describeExecution(executionArn)).toMatchObject({ status: 'RUNNING', waiting: { stateName: 'Wait' } });
  },

  'endpoint-operations-subset': async () => {
    const sfn = runtime(machine({ Work: task(INVOKE, { End: true }) }), {});
    const endpoint: SfnEndpoint = await startSfnEndpoint(sfn);
    const client = new SFNClient({ endpoint: endpoint.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    cleanup.push(
      () => client.destroy(),
      () => endpoint.stop(),
    );
    const { executionArn } = await sfn.startExecution({ name: 'served' });
    await sfn.waitForExecution(executionArn);

    expect(ENDPOINT_OPERATIONS).toContain('ListExecutions');
    const list = await client.send(new ListExecutionsCommand({ stateMachineArn: sfn.stateMachineArn, maxResults: 1 }));
    expect(list.executions?.map((e) => e.name)).toEqual(['served']);
    expect(list.nextToken).toBeUndefined();
    await expect(client.send(new GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
    await expect(client.send(new DescribeStateMachineCommand({ stateMachineArn: sfn.stateMachineArn }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  },

  'lambda-in-process': async () => {
    let seen: { arn?: string; remaining?: number } = {};
    const done = await runToEnd(machine({ Work: task(INVOKE, { End: true }) }), {
      Work: (_e: unknown, context) => {
        seen = { arn: context?.invokedFunctionArn, remaining: context?.getRemainingTimeInMillis() };
        return { pid: process.pid };
      },
    });
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { StatusCode: 200, Payload: { pid: process.pid } } });
    expect(seen.arn).toBe(`arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:Work`);
    expect(seen.remaining).toBeGreaterThan(0);
  },

  'no-payload-limits': async () => {
    const big = 'số liệu '.repeat(40_000); // ≈ 400 KB of UTF-8, above the 256 KB of AWS
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(256 * 1024);
    const done = await runToEnd(machine({ Work: task(INVOKE, { End: true }) }), { Work: () => big });
    expect(done.status).toBe('SUCCEEDED');
    expect((done.output as { Payload: string }).Payload).toBe(big);
  },

  'retry-intervals-scaled': async () => {
    const retry: Retrier = {
      ErrorEquals: ['TransientError'],
      IntervalSeconds: HOUR,
      BackoffRate: 1,
      MaxAttempts: 2,
      JitterStrategy: 'NONE',
    };
    const def = machine({ Work: task(INVOKE, { Retry: [retry], End: true }) });
    expect(prepareDefinition(def).definition.States.Work.Retry).toEqual([retry]); // timeScale 1: as written
    expect(prepareDefinition(def, { timeScale: FAST }).definition.States.Work.Retry).toEqual([{ ...retry, IntervalSeconds: 0.1 }]);
    expect(
      prepareDefinition(machine({ W: task(INVOKE, { Retry: [{ ErrorEquals: ['E'], MaxDelaySeconds: 20 }], End: true }) }), {
        timeScale: 10,
      }).definition.States.W.Retry,
    ).toEqual([{ ErrorEquals: ['E'], IntervalSeconds: 0.1, MaxDelaySeconds: 2 }]);

    // The retrier runs as written: two retries of an hour each, scaled to 100 ms, then success.
    let calls = 0;
    const flaky: LambdaHandler = () => {
      if (++calls <= 2) throw new TransientError('S3 tạm thời không phản hồi');
      return 'ok';
    };
    const started = Date.now();
    const done = await runToEnd(def, { Work: flaky }, { timeScale: FAST });
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { Payload: 'ok' } });
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    // MaxAttempts holds: a third failure is not retried.
    calls = -10;
    const failed = await runToEnd(def, { Work: flaky }, { timeScale: FAST });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    expect(calls).toBe(-7);
  },

  'wait-states-scaled': async () => {
    const def = machine({ Round: { Type: 'Wait', Seconds: 15, Next: 'Work' }, Work: task(INVOKE, { End: true }) });
    expect(scaledWaits(def, 1)).toEqual({ Round: 15_000 });
    expect(scaledWaits(def, 150)).toEqual({ Round: 100 });
    // A 15 s round passes in 15 000 / 150 = 100 ms.
    const started = Date.now();
    const done = await runToEnd(def, {}, { timeScale: 150 });
    expect(done.status).toBe('SUCCEEDED');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(90);
    expect(took).toBeLessThan(5_000);
  },
};

describe('departures of the local Step Functions runtime from AWS (infra/local/sfn/departures.ts)', () => {
  it('lists each departure once, with what differs and why', () => {
    expect(new Set(DEPARTURES.map((d) => d.id)).size).toBe(DEPARTURES.length);
    expect(Object.keys(proofs).sort()).toEqual(DEPARTURES.map((d) => d.id).sort());
    for (const d of DEPARTURES) expect(d.what.length * d.why.length, d.id).toBeGreaterThan(0);
  });

  for (const d of DEPARTURES) it(d.id, proofs[d.id]);
});

import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractStateMachine, localFunctionArn } from '../../infra/local/definition';
import { synthTemplate } from '../../infra/synth';

let template: Record<string, any>;

beforeAll(() => {
  template = synthTemplate();
});

describe('extractStateMachine on the synthesized app', () => {
  it('finds the pipeline states and maps each Task to its handler file', () => {
    const { definition, tasks } = extractStateMachine(template);

    expect(definition.StartAt).toBe('Validate');
    expect(Object.keys(definition.States)).toEqual(
      expect.arrayContaining([
        'Validate',
        'Aggregate',
        'BuildDraft',
        'StartApprovalChain',
        'AwaitApproval',
        'ChainComplete?',
        'Release',
        'Released',
        'RecordFailure',
        'FailureKind?',
        'ReportRejected',
        'ApprovalTimedOut',
        'PipelineFailed',
      ]),
    );
    expect(Object.fromEntries(Object.entries(tasks).map(([k, t]) => [k, t.handler]))).toEqual({
      Validate: 'validate',
      Aggregate: 'aggregate',
      BuildDraft: 'build-docx',
      AwaitApproval: 'request-approval',
      Release: 'release',
      RecordFailure: 'record-failure',
    });
    expect(tasks.AwaitApproval).toEqual({
      handler: 'request-approval',
      waitForTaskToken: true,
      resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    });
    expect(Object.values(tasks).filter((t) => t.waitForTaskToken)).toHaveLength(1);
  });

  it('leaves no CloudFormation intrinsic in the definition', () => {
    const text = JSON.stringify(extractStateMachine(template).definition);

    expect(text).not.toMatch(/Fn::|"Ref"|\$\{/);
    expect(text).toContain(localFunctionArn('validate'));
  });

  it('loads in aws-local-stepfunctions', () => {
    const { definition } = extractStateMachine(template);

    expect(() => new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } })).not.toThrow();
  });
});

describe('the synthesized definition, run branch by branch', () => {
  const input = { reportId: 'R-1', periodId: '2025-Q1', requestedBy: 'khoa.vp@sct-dongnai.example' };
  const lambda = (payload: unknown) => ({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: payload });
  const failWith = (name: string) => () => {
    const err = new Error(`simulated ${name}`);
    err.name = name;
    throw err;
  };

  /**
   * Runs the real definition with every Task answered in-process. Two adjustments, both about
   * the library rather than the definition: it reads TimeoutSecondsPath from the task's
   * effective input (AWS reads the state input) and setTimeout overflows past ~24.8 days —
   * the local runtime handles both the same way.
   */
  async function run(overrides: Record<string, (payload: any) => unknown> = {}) {
    const { definition } = extractStateMachine(template);
    definition.TimeoutSeconds = 60;
    delete definition.States.AwaitApproval.TimeoutSecondsPath;
    definition.States.AwaitApproval.TimeoutSeconds = 60;
    const machine = new StateMachine(definition, { validationOptions: { checkPaths: false, checkArn: false } });

    const visited: string[] = [];
    const answers: Record<string, (payload: any) => unknown> = {
      Validate: () => lambda({ ok: true, approvalTimeoutSeconds: 172800 }),
      Aggregate: () => lambda({ key: 'drafts/R-1/aggregate.json' }),
      BuildDraft: () => lambda({ key: 'drafts/R-1/draft.docx', sha256: 'abc' }),
      // What SendTaskSuccess carries: two approvers, then done.
      AwaitApproval: (p) => ({ stepIndex: p.stepIndex + 1, done: p.stepIndex >= 1, timeoutSeconds: 172800, decidedBy: `a${p.stepIndex}` }),
      Release: () => lambda({ documentNumber: '05/BC-SCT' }),
      RecordFailure: () => lambda({ recorded: true }),
      ...overrides,
    };
    const seen: Record<string, any[]> = {};
    const handlers = Object.fromEntries(
      Object.entries(answers).map(([state, answer]) => [
        state,
        async (params: any) => {
          visited.push(state);
          (seen[state] ??= []).push(params.Payload);
          return answer(params.Payload) as any;
        },
      ]),
    );
    const execution = machine.run(input, {
      context: { Task: { Token: 'local-token' } } as any,
      overrides: { taskResourceLocalHandlers: handlers },
    });
    try {
      return { output: (await execution.result) as any, visited, seen, error: undefined as any };
    } catch (err: any) {
      return { output: undefined, visited, seen, error: { name: err.cause?.name, message: err.cause?.message } };
    }
  }

  it('goes through every approver and releases, keeping each result at $.<key>.Payload', async () => {
    const { output, visited, seen } = await run();

    expect(visited).toEqual(['Validate', 'Aggregate', 'BuildDraft', 'AwaitApproval', 'AwaitApproval', 'Release']);
    expect(seen.AwaitApproval[0]).toEqual({
      taskToken: 'local-token',
      reportId: 'R-1',
      periodId: '2025-Q1',
      stepIndex: 0,
      draft: { key: 'drafts/R-1/draft.docx', sha256: 'abc' },
    });
    expect(seen.AwaitApproval[1].stepIndex).toBe(1);
    expect(seen.Release[0]).toMatchObject({ ...input, draft: { Payload: { key: 'drafts/R-1/draft.docx' } } });
    expect(output.release.Payload).toEqual({ documentNumber: '05/BC-SCT' });
    expect(output.approval).toEqual({ stepIndex: 2, done: true, timeoutSeconds: 172800, decidedBy: 'a1' });
  });

  it('records and fails as ReportRejected when an approver returns the draft', async () => {
    const { visited, error, seen } = await run({ AwaitApproval: failWith('Rejected') });

    expect(visited.slice(-2)).toEqual(['AwaitApproval', 'RecordFailure']);
    expect(seen.RecordFailure[0].error.Error).toBe('Rejected');
    expect(error.name).toBe('Rejected');
  });

  it('records and fails as ApprovalTimedOut when nobody decides in time', async () => {
    const { visited, error } = await run({ AwaitApproval: failWith('States.Timeout') });

    expect(visited.slice(-1)).toEqual(['RecordFailure']);
    expect(error.name).toBe('ApprovalTimedOut');
  });

  it('records and fails as PipelineFailed, keeping the error name, when a step throws', async () => {
    const { visited, error } = await run({ Validate: failWith('ValidationError') });

    expect(visited).toEqual(['Validate', 'RecordFailure']);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('Lỗi khi xử lý báo cáo');
  });

  it('still ends failed when recording the failure itself fails', async () => {
    const { visited, error } = await run({ BuildDraft: failWith('RenderError'), RecordFailure: failWith('Boom') });

    expect(visited).toEqual(['Validate', 'Aggregate', 'BuildDraft', 'RecordFailure']);
    expect(error.name).toBe('RenderError');
  });
});

describe('extractStateMachine on hand-made templates', () => {
  const fn = (handler?: string) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Environment: { Variables: handler ? { HANDLER_NAME: handler } : {} } },
  });
  const machine = (definitionString: unknown, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: { DefinitionString: definitionString, ...extra },
  });

  it('resolves Fn::Join, Ref, pseudo parameters and DefinitionSubstitutions, and walks Parallel and Map', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'A',
              States: { A: { Type: 'Task', Resource: '${Invoke}', Parameters: { FunctionName: '${FnA}' }, End: true } },
            },
            {
              StartAt: 'M',
              States: {
                M: {
                  Type: 'Map',
                  End: true,
                  ItemProcessor: {
                    StartAt: 'B',
                    States: { B: { Type: 'Task', Resource: 'LAMBDA_ARN', End: true } },
                  },
                },
              },
            },
          ],
        },
      },
    };
    const [before, after] = JSON.stringify(def).split('LAMBDA_ARN');
    const template = {
      Resources: {
        FnA1234: fn('alpha'),
        FnB5678: fn('beta'),
        SM: machine(
          { 'Fn::Join': ['', [before, { 'Fn::GetAtt': ['FnB5678', 'Arn'] }, after]] },
          {
            DefinitionSubstitutions: {
              Invoke: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke']] },
              FnA: { Ref: 'FnA1234' },
            },
          },
        ),
      },
    };

    const { tasks } = extractStateMachine(template);

    expect(tasks).toEqual({
      A: { handler: 'alpha', waitForTaskToken: false, resource: 'arn:aws:states:::lambda:invoke' },
      B: { handler: 'beta', waitForTaskToken: false, resource: localFunctionArn('beta') },
    });
  });

  it.each([
    ['no state machine', { Resources: {} }, /exactly one AWS::StepFunctions::StateMachine.*found 0/],
    [
      'a Lambda without HANDLER_NAME',
      {
        Resources: {
          F: fn(),
          SM: machine({ 'Fn::Join': ['', ['{"StartAt":"T","States":{"T":{"Type":"Task","End":true,"Resource":"', { 'Fn::GetAtt': ['F', 'Arn'] }, '"}}}']] }),
        },
      },
      /F has no HANDLER_NAME/,
    ],
    [
      'an unknown resource',
      { Resources: { SM: machine({ 'Fn::Join': ['', ['{"x":"', { Ref: 'Nope' }, '"}']] }) } },
      /unknown resource or parameter "Nope"/,
    ],
    [
      'an unsupported intrinsic',
      { Resources: { SM: machine({ 'Fn::Join': ['', ['{"x":"', { 'Fn::ImportValue': 'X' }, '"}']] }) } },
      /cannot resolve Fn::ImportValue/,
    ],
    [
      'a non-Lambda task',
      {
        Resources: {
          SM: machine('{"StartAt":"T","States":{"T":{"Type":"Task","End":true,"Resource":"arn:aws:states:::sqs:sendMessage"}}}'),
        },
      },
      /Task "T" uses arn:aws:states:::sqs:sendMessage/,
    ],
    [
      'a missing substitution',
      { Resources: { SM: machine('{"StartAt":"${Start}","States":{}}') } },
      /substitution \$\{Start\} has no value/,
    ],
  ])('throws a clear error for %s', (_label, tpl, message) => {
    expect(() => extractStateMachine(tpl as any)).toThrow(message);
  });
});

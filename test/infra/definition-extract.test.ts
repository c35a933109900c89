import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractStateMachine, localFunctionArn } from '../../infra/local/definition';
import { forLibrary } from '../../infra/local/sfn';
import { synthTemplate } from '../../infra/synth';

let template: Record<string, any>;

beforeAll(() => {
  template = synthTemplate();
});

describe('extractStateMachine on the synthesized app', () => {
  it('finds the pipeline states and maps each Task to its handler file', () => {
    const { definition, tasks } = extractStateMachine(template);

    expect(definition.StartAt).toBe('ExecutionContext');
    expect(Object.keys(definition.States)).toEqual(
      expect.arrayContaining([
        'ExecutionContext',
        'Resume?',
        'ResumeReport',
        'Resumed',
        'ResumeAt?',
        'NothingToResume',
        'ContinueAsNew',
        'Continued',
        'Validate',
        'Aggregate',
        'DeskWanted?',
        'AwaitDesk',
        'DeskExpired',
        'BuildDraft',
        'StartApprovalChain',
        'PlanApproval',
        'ChainComplete?',
        'AwaitApproval',
        'AwaitRevision',
        'ApprovalExpired',
        'SignDocument',
        'SigningNext?',
        'WaitForSigner',
        'AwaitSigningNumber',
        'AwaitSeal',
        'AwaitSigningRetry',
        'SealExpired',
        'Release',
        'NumberNeeded?',
        'AwaitNumber',
        'NotifyRecipients',
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
      AwaitDesk: 'request-desk',
      PlanApproval: 'plan-approval',
      AwaitApproval: 'request-approval',
      AwaitRevision: 'request-revision',
      Release: 'release',
      AwaitNumber: 'request-number',
      SignDocument: 'sign-document',
      AwaitSigningNumber: 'request-number',
      AwaitSeal: 'request-signing-action',
      AwaitSigningRetry: 'request-signing-action',
      NotifyRecipients: 'notify-recipients',
      RecordFailure: 'record-failure',
      ResumeReport: 'resume-report',
      ContinueAsNew: 'continue-report',
    });
    for (const [name, handler] of [
      ['AwaitApproval', 'request-approval'],
      ['AwaitRevision', 'request-revision'],
      ['AwaitNumber', 'request-number'],
      ['AwaitDesk', 'request-desk'],
      ['AwaitSigningNumber', 'request-number'],
      ['AwaitSeal', 'request-signing-action'],
      ['AwaitSigningRetry', 'request-signing-action'],
    ]) {
      expect(tasks[name]).toEqual({ handler, waitForTaskToken: true, resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken' });
    }
    expect(Object.values(tasks).filter((t) => t.waitForTaskToken)).toHaveLength(7);
    expect(tasks.PlanApproval).toEqual({ handler: 'plan-approval', waitForTaskToken: false, resource: 'arn:aws:states:::lambda:invoke' });
  });

  it('leaves no CloudFormation intrinsic in the definition', () => {
    const text = JSON.stringify(extractStateMachine(template).definition);

    expect(text).not.toMatch(/Fn::|"Ref"|\$\{/);
    expect(text).toContain(localFunctionArn('validate'));
  });

  it('loads in aws-local-stepfunctions', () => {
    const { definition } = extractStateMachine(template);

    expect(() => new StateMachine(forLibrary(definition), { validationOptions: { checkPaths: false, checkArn: false } })).not.toThrow();
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
          SM: machine({
            'Fn::Join': [
              '',
              ['{"StartAt":"T","States":{"T":{"Type":"Task","End":true,"Resource":"', { 'Fn::GetAtt': ['F', 'Arn'] }, '"}}}'],
            ],
          }),
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

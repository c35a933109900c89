import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/baocao-stack';
import { HANDLER_NAMES } from '../../infra/constructs/functions';
import { extractStateMachine } from '../../infra/local/definition';
import { TRANSIENT_ERROR_NAME } from '../../shared/transient-errors';

let template: Template;
let cfn: Record<string, any>;

beforeAll(() => {
  const { stack } = buildApp({ bundle: false, cfnValidation: false });
  template = Template.fromStack(stack);
  cfn = template.toJSON();
});

const resourcesOf = (type: string) => Object.entries<any>(cfn.Resources).filter(([, r]) => r.Type === type);
const functionByHandler = (name: string) => {
  const hit = resourcesOf('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.HANDLER_NAME === name);
  if (!hit) throw new Error(`no function with HANDLER_NAME=${name}`);
  return hit[1];
};
/** All Allow statements of the policies attached to a function's role. */
const statementsOf = (name: string): any[] => {
  const roleId = functionByHandler(name).Properties.Role['Fn::GetAtt'][0];
  return resourcesOf('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};
const actionsOf = (name: string) => new Set(statementsOf(name).flatMap((s) => [s.Action].flat()));

describe('storage', () => {
  it('encrypts signing material under orgs/ with its own rotating KMS key; only api and sign-document may decrypt (ADR 0048)', () => {
    const keys = resourcesOf('AWS::KMS::Key').filter(([id]) => id.includes('SigningMaterialKey'));
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    // The bucket refuses a put under orgs/ that is not SSE-KMS with that key.
    const policies = resourcesOf('AWS::S3::BucketPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const deny = policies.find((st: any) => st.Effect === 'Deny' && st.Action === 's3:PutObject');
    expect(JSON.stringify(deny.Resource)).toContain('/orgs/*');
    expect(deny.Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id']).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const decrypters = HANDLER_NAMES.filter((n) =>
      statementsOf(n).some((st) => [st.Action].flat().includes('kms:Decrypt') && JSON.stringify(st.Resource).includes(keyId)),
    );
    expect(decrypters.sort()).toEqual(['api', 'sign-document']);
    expect(functionByHandler('api').Properties.Environment.Variables.SIGNING_MATERIAL_KEY_ID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(actionsOf('api').has('kms:GenerateDataKey')).toBe(true);
    expect(actionsOf('sign-document').has('kms:GenerateDataKey')).toBe(false);
  });

  it('lets only the functions that ask a signing provider read remote signing credentials, under baocao/signing/ only', () => {
    const readers = HANDLER_NAMES.filter((n) => actionsOf(n).has('secretsmanager:GetSecretValue'));
    expect(readers.sort()).toEqual(['api', 'sign-document']);
    for (const n of readers) {
      const st = statementsOf(n).find((x) => [x.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(JSON.stringify(st.Resource)).toContain(':secret:baocao/signing/*');
      expect(functionByHandler(n).Properties.Environment.Variables.SIGNING_SECRETS_PREFIX).toBe('baocao/signing/');
    }
    expect(functionByHandler('release').Properties.Environment.Variables.SIGNING_SECRETS_PREFIX).toBeUndefined();
  });

  it('has one single-table DynamoDB table with pk/sk, gsi1, on-demand billing, PITR and RETAIN', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ],
      },
    });
  });

  it('keeps the report bucket private, encrypted, versioned, logged and emitting EventBridge events', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.anyValue() }, LogFilePrefix: 'reports/' },
        CorsConfiguration: {
          CorsRules: [Match.objectLike({ AllowedMethods: ['POST', 'PUT', 'GET'], AllowedOrigins: ['*'] })],
        },
      }),
    });
  });

  it('denies non-TLS requests on every bucket', () => {
    const buckets = resourcesOf('AWS::S3::Bucket').map(([id]) => id);
    // reports, access logs, released archive
    expect(buckets).toHaveLength(3);
    for (const id of buckets) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('does not create the BucketNotifications custom resource (no non-Node Lambda in the stack)', () => {
    expect(resourcesOf('Custom::S3BucketNotifications')).toEqual([]);
  });
});

describe('functions', () => {
  it('has exactly one Node 22 arm64 function per handler, each with HANDLER_NAME', () => {
    const fns = resourcesOf('AWS::Lambda::Function').map(([, r]) => r.Properties);
    expect(fns.map((p) => p.Environment?.Variables?.HANDLER_NAME).sort()).toEqual([...HANDLER_NAMES].sort());
    for (const p of fns) {
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(p.LoggingConfig?.LogGroup).toEqual({ Ref: expect.any(String) });
    }
  });

  it('gives document renderers more memory and time than the rest', () => {
    for (const name of HANDLER_NAMES) {
      const p = functionByHandler(name).Properties;
      const heavy = name === 'build-docx' || name === 'release' || name === 'sign-document';
      expect([name, p.MemorySize, p.Timeout]).toEqual([name, heavy ? 1024 : 512, heavy ? 120 : 30]);
    }
  });

  it('sets the runtime environment every handler reads', () => {
    for (const name of HANDLER_NAMES) {
      const env = functionByHandler(name).Properties.Environment.Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([
          'HANDLER_NAME',
          'TABLE_NAME',
          'BUCKET_NAME',
          'MAIL_TRANSPORT',
          'MAIL_FROM',
          'PUBLIC_BASE_URL',
          'NODE_OPTIONS',
        ]),
      );
      expect(env.MAIL_TRANSPORT).toBe('ses');
      expect(env.MAIL_FROM).toEqual({ Ref: 'MailFrom' });
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      expect('STATE_MACHINE_ARN' in env).toBe(name === 'api');
    }
    expect(cfn.Parameters.MailFrom.Default).toBe('baocao@example.com');
  });

  it('gives each function an explicit log group with retention', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    for (const name of HANDLER_NAMES) {
      const ref = functionByHandler(name).Properties.LoggingConfig.LogGroup.Ref;
      const group = groups.find(([id]) => id === ref)?.[1];
      expect(group?.Properties.RetentionInDays).toBe(365);
    }
  });

  it('lets only the mail-sending functions call SES, and only as the sender identity', () => {
    const senders = HANDLER_NAMES.filter((n) => actionsOf(n).has('ses:SendEmail'));
    // request-revision mails the returned report's comment to the compiler and the divisions named.
    // notify-recipients tells the recipients of a release; request-number mails the clerk of records (clerk mode);
    // request-desk mails the compiler the editing desk's link.
    expect(senders.sort()).toEqual([
      'api',
      'ingest',
      'notify-recipients',
      'request-approval',
      'request-desk',
      'request-number',
      'request-revision',
      // The văn thư's seal link and the compiler's "thử ký lại" link (issue 16).
      'request-signing-action',
      // Invites and reminders: open-period only queues them (ADR 0046).
      'send-invites',
      // The signer's request and reminders; the compiler when the signing stalls (issue 16).
      'sign-document',
    ]);
    for (const name of senders) {
      const ses = statementsOf(name).find((s) => [s.Action].flat().includes('ses:SendEmail'));
      expect([ses.Action].flat().sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(JSON.stringify(ses.Resource)).toContain(':identity/');
      expect(ses.Resource).not.toContain('*');
    }
  });

  it('scopes object access to the prefixes each function works on', () => {
    const objectGrants = (name: string, action: string) =>
      statementsOf(name)
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => (r['Fn::Join'] ? r['Fn::Join'][1].filter((x: unknown) => typeof x === 'string').join('') : r))
        .sort();
    // released/ of the Object Lock archive only (ADR 0030, 0046): nothing released goes to the reports bucket.
    expect(objectGrants('release', 's3:PutObject')).toEqual(['/released/*']);
    expect(objectGrants('release', 's3:GetObject')).toEqual(['/drafts/*', '/signing/*']);
    expect(objectGrants('api', 's3:GetObject')).toEqual(['/drafts/*', '/orgs/*', '/raw/*', '/released/*', '/signing/*', '/submissions/*']);
    // raw/: the division form's presigned POST; signing/: the văn thư's POST writes the sealed PDF; orgs/: signing material.
    expect(objectGrants('api', 's3:PutObject')).toEqual(['/orgs/*', '/raw/*', '/signing/*']);
    expect(objectGrants('sign-document', 's3:GetObject')).toEqual(['/drafts/*', '/orgs/*', '/signing/*']);
    expect(objectGrants('sign-document', 's3:PutObject')).toEqual(['/signing/*']);
    expect(objectGrants('record-failure', 's3:GetObject')).toEqual([]);
    for (const name of HANDLER_NAMES) {
      expect(actionsOf(name).has('s3:*')).toBe(false);
      // Only X-Ray's trace upload, which has no resource-level permissions, is on "*".
      const onStar = statementsOf(name).filter((s) => s.Resource === '*');
      expect(onStar.flatMap((s) => [s.Action].flat()).every((a: string) => a.startsWith('xray:'))).toBe(true);
    }
  });

  it('lets the api function start, inspect and answer executions of the pipeline', () => {
    const api = actionsOf('api');
    for (const action of [
      'states:StartExecution',
      'states:DescribeExecution',
      'states:ListExecutions',
      'states:SendTaskSuccess',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
    ]) {
      expect(api.has(action), action).toBe(true);
    }
    expect(actionsOf('validate').has('states:SendTaskSuccess')).toBe(false);
  });
});

describe('intake', () => {
  it('routes Object Created events under raw/ of the bucket to ingest, with retries and a dead-letter queue', () => {
    const ingestId = resourcesOf('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment.Variables.HANDLER_NAME === 'ingest')![0];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: Match.anyValue() }] }, object: { key: [{ prefix: 'raw/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [ingestId, 'Arn'] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
        }),
      ],
    });
  });

  it('encrypts the dead-letter queue, requires TLS on it and alarms when it is not empty', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

describe('pipeline', () => {
  it('is a Standard state machine with full logging (no execution data), tracing and a 30-day timeout', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
    expect(extractStateMachine(cfn).definition.TimeoutSeconds).toBe(30 * 24 * 3600);
  });

  it('waits for a task token seven times (editing desk, approval, revision, clerk number, and the signing: number, seal, retry), with timeouts, and uses no JSONata', () => {
    const raw = JSON.stringify(resourcesOf('AWS::StepFunctions::StateMachine')[0][1].Properties.DefinitionString);
    expect(raw.match(/waitForTaskToken/g)).toHaveLength(7);
    expect(raw).toContain('TimeoutSecondsPath');
    expect(raw.toLowerCase()).not.toContain('jsonata');
    const { definition, tasks } = extractStateMachine(cfn);
    expect(
      Object.keys(tasks)
        .filter((n) => tasks[n].waitForTaskToken)
        .sort(),
    ).toEqual(['AwaitApproval', 'AwaitDesk', 'AwaitNumber', 'AwaitRevision', 'AwaitSeal', 'AwaitSigningNumber', 'AwaitSigningRetry']);
    expect(definition.States.AwaitSeal.TimeoutSecondsPath).toBe('$.signing.Payload.timeoutSeconds');
    expect(definition.States.AwaitSigningRetry.TimeoutSeconds).toBe(14 * 24 * 3600);
    // The person's phone is waited for by a Wait state and a poll, never by a sleeping Lambda.
    expect(definition.States.WaitForSigner).toEqual(expect.objectContaining({ Type: 'Wait', Seconds: 15, Next: 'SignDocument' }));
    expect(definition.States.AwaitApproval.TimeoutSecondsPath).toBe('$.plan.Payload.timeoutSeconds');
    expect(definition.States.AwaitDesk.TimeoutSeconds).toBe(14 * 24 * 3600);
    expect(definition.States.AwaitRevision.TimeoutSeconds).toBe(14 * 24 * 3600);
    expect(definition.States.AwaitNumber.TimeoutSeconds).toBe(7 * 24 * 3600);
  });

  it('gives every Task a retry for transient errors (backoff, full jitter), a timeout and a catch-all to RecordFailure', () => {
    const { definition, tasks } = extractStateMachine(cfn);
    expect(Object.keys(tasks).sort()).toEqual([
      'Aggregate',
      'AwaitApproval',
      'AwaitDesk',
      'AwaitNumber',
      'AwaitRevision',
      'AwaitSeal',
      'AwaitSigningNumber',
      'AwaitSigningRetry',
      'BuildDraft',
      'ContinueAsNew',
      'NotifyRecipients',
      'PlanApproval',
      'RecordFailure',
      'Release',
      'ResumeReport',
      'SignDocument',
      'Validate',
    ]);
    for (const name of Object.keys(tasks)) {
      const state = definition.States[name];
      expect(state.Retry?.[0]?.ErrorEquals, name).toEqual(
        expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', TRANSIENT_ERROR_NAME]),
      );
      expect(state.Retry?.[0]).toMatchObject({
        IntervalSeconds: 1,
        BackoffRate: 2,
        MaxDelaySeconds: 20,
        MaxAttempts: 6,
        JitterStrategy: 'FULL',
      });
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried, name).not.toContain('States.Timeout');
      expect(retried, name).not.toContain('States.ALL');
      // The catch-all comes last, so specific catchers (timer, return) win.
      expect(state.Catch?.at(-1), name).toMatchObject({ ErrorEquals: ['States.ALL'], ResultPath: expect.stringMatching(/^\$\./) });
      // A report stays released when its recipients could not be told (NotifyRecipients).
      const catchAll = { RecordFailure: 'PipelineFailed', NotifyRecipients: 'RecipientsNotNotified' }[name] ?? 'RecordFailure';
      expect(state.Catch?.at(-1)?.Next, name).toBe(catchAll);
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
      expect(state.ResultSelector, name).toBeUndefined();
    }
    expect(definition.States.Validate.TimeoutSeconds).toBe(300);
  });

  it('turns a timed-out approval into a timer event for the planner, and a return into AwaitRevision', () => {
    const { definition } = extractStateMachine(cfn);
    const s = definition.States;

    expect(s.AwaitApproval.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], Next: 'PlanApproval', ResultPath: '$.event' },
      { ErrorEquals: ['Rejected'], Next: 'AwaitRevision', ResultPath: '$.event' },
      { ErrorEquals: ['States.ALL'], Next: 'RecordFailure', ResultPath: '$.error' },
    ]);
    expect(s.AwaitApproval).toMatchObject({ Next: 'PlanApproval', ResultPath: '$.event' });
    expect(s.AwaitRevision).toMatchObject({ Next: 'Validate', ResultPath: '$.revision' });
    expect(s.AwaitRevision.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], Next: 'RevisionExpired', ResultPath: '$.timeout' },
      { ErrorEquals: ['States.ALL'], Next: 'RecordFailure', ResultPath: '$.error' },
    ]);
    // A lapsed revision is the compiler's timeout, not the approvers'.
    expect(s.RevisionExpired).toMatchObject({
      Type: 'Pass',
      Parameters: { Error: 'RevisionTimedOut' },
      ResultPath: '$.error',
      Next: 'RecordFailure',
    });
    expect(s.StartApprovalChain).toMatchObject({ Type: 'Pass', Next: 'PlanApproval', ResultPath: '$.event' });
    expect(s.PlanApproval).toMatchObject({ Next: 'ChainComplete?', ResultPath: '$.plan' });
    expect(s['ChainComplete?']).toMatchObject({
      Choices: [
        // The last approval leads to the signing stage (SignDocument sends unsigned organizations on to Release).
        { Variable: '$.plan.Payload.done', BooleanEquals: true, Next: 'SignDocument' },
        { Variable: '$.plan.Payload.expired', BooleanEquals: true, Next: 'ApprovalExpired' },
        {
          And: [
            { Variable: '$.plan.Payload.continueAsNew', IsPresent: true },
            { Variable: '$.plan.Payload.continueAsNew', BooleanEquals: true },
          ],
          Next: 'ContinueAsNew',
        },
      ],
      Default: 'AwaitApproval',
    });
    // An old execution hands over to a fresh one and ends successfully.
    expect(s.ContinueAsNew).toMatchObject({ Next: 'Continued', ResultPath: '$.continued' });
    expect(s.Continued).toMatchObject({ Type: 'Succeed' });
    // The entry: the execution context first, then a resume reads the record and enters where it says.
    expect(s.ExecutionContext).toMatchObject({
      Type: 'Pass',
      Parameters: { 'id.$': '$$.Execution.Id', 'stateMachine.$': '$$.StateMachine.Id', 'startedAt.$': '$$.Execution.StartTime' },
      ResultPath: '$.execution',
      Next: 'Resume?',
    });
    expect(s['Resume?']).toMatchObject({ Default: 'Validate', Choices: [{ Next: 'ResumeReport' }] });
    expect(s['ResumeAt?']).toMatchObject({
      Choices: [
        { Variable: '$.resumeAt', StringEquals: 'approval', Next: 'PlanApproval' },
        { Variable: '$.resumeAt', StringEquals: 'revision', Next: 'AwaitRevision' },
        { Variable: '$.resumeAt', StringEquals: 'processing', Next: 'Validate' },
        // A report whose signing has begun: SignDocument reads where it stands.
        { Variable: '$.resumeAt', StringEquals: 'signing', Next: 'SignDocument' },
      ],
      Default: 'NothingToResume',
    });
    // Expiry is recorded like any failure and ends as ApprovalTimedOut.
    expect(s.ApprovalExpired).toMatchObject({
      Type: 'Pass',
      Next: 'RecordFailure',
      ResultPath: '$.error',
      Parameters: { Error: 'States.Timeout' },
    });
    expect(s['FailureKind?'].Choices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ StringEquals: 'States.Timeout', Next: 'ApprovalTimedOut' }),
        expect.objectContaining({ StringEquals: 'Rejected', Next: 'ReportRejected' }),
      ]),
    );
  });

  it('matches the reviewed definition snapshot', () => {
    expect(extractStateMachine(cfn).definition).toMatchSnapshot();
  });
});

describe('api', () => {
  it('serves $default publicly and /api/* behind IAM', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'ANY /api/{proxy+}',
      AuthorizationType: 'AWS_IAM',
    });
  });

  it('logs access on the $default stage without paths (they carry link secrets) and throttles', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() }),
    });
    const stage = resourcesOf('AWS::ApiGatewayV2::Stage')[0][1];
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });

  it('outputs the API URL', () => {
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/baocao-stack';
import { HANDLER_NAMES } from '../../infra/constructs/functions';
import { KEY_PREFIXES, TABLE_ACCESS } from '../../infra/constructs/table-access';

let template: Template;
let cfn: Record<string, any>;

beforeAll(() => {
  const { stack } = buildApp({ bundle: false, cfnValidation: false, context: { alarmEmail: 'ops@example.gov.vn' } });
  template = Template.fromStack(stack);
  cfn = template.toJSON();
});

const resourcesOf = (type: string) => Object.entries<any>(cfn.Resources).filter(([, r]) => r.Type === type);
const fnEntry = (name: string) => {
  const hit = resourcesOf('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.HANDLER_NAME === name);
  if (!hit) throw new Error(`no function ${name}`);
  return hit;
};
const statementsOf = (name: string): any[] => {
  const roleId = fnEntry(name)[1].Properties.Role['Fn::GetAtt'][0];
  return resourcesOf('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};
const dynamoActionsOf = (name: string) =>
  new Set(
    statementsOf(name)
      .flatMap((s) => [s.Action].flat())
      .filter((a: string) => a.startsWith('dynamodb:')),
  );
/** Alarms whose metric has this name and dimension value (a Ref/GetAtt to a resource id). */
const alarmsOn = (metricName: string, resourceId?: string) =>
  resourcesOf('AWS::CloudWatch::Alarm').filter(
    ([, a]) =>
      a.Properties.MetricName === metricName && (!resourceId || JSON.stringify(a.Properties.Dimensions).includes(`"${resourceId}"`)),
  );
const topicId = () => resourcesOf('AWS::SNS::Topic')[0][0];
const notifiesTopic = (alarm: any) => JSON.stringify(alarm.Properties.AlarmActions ?? []).includes(`"${topicId()}"`);

describe('alarms reach a person', () => {
  it('has one KMS-encrypted topic with the email subscription from context', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.gov.vn' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('alarms, with the topic as action, on failed, timed-out and aborted executions', () => {
    const sm = resourcesOf('AWS::StepFunctions::StateMachine')[0][0];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const found = alarmsOn(metric, sm);
      expect(found, metric).toHaveLength(1);
      expect(notifiesTopic(found[0][1]), metric).toBe(true);
    }
  });

  it('alarms on the errors and throttles of every function', () => {
    for (const name of HANDLER_NAMES) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn(metric, fnEntry(name)[0]);
        expect(found, `${name} ${metric}`).toHaveLength(1);
        expect(notifiesTopic(found[0][1])).toBe(true);
      }
    }
  });

  it('alarms on every dead-letter queue, on a work queue that does not drain, and on API 5xx', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    const work = queues.filter(([, q]) => q.Properties.RedrivePolicy).map(([id]) => id);
    const dead = queues.filter(([, q]) => !q.Properties.RedrivePolicy).map(([id]) => id);
    expect(dead.length).toBeGreaterThanOrEqual(3);
    expect(work).toHaveLength(1);
    for (const q of work) {
      const found = alarmsOn('ApproximateAgeOfOldestMessage').filter(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(q));
      expect(found, q).toHaveLength(1);
      expect(notifiesTopic(found[0][1])).toBe(true);
    }
    for (const q of dead) {
      const found = alarmsOn('ApproximateNumberOfMessagesVisible').filter(([, a]) => JSON.stringify(a.Properties.Dimensions).includes(q));
      expect(found, q).toHaveLength(1);
      expect(notifiesTopic(found[0][1])).toBe(true);
    }
    const api5xx = alarmsOn('5xx', resourcesOf('AWS::ApiGatewayV2::Api')[0][0]);
    expect(api5xx).toHaveLength(1);
    expect(notifiesTopic(api5xx[0][1])).toBe(true);
  });

  it('has no alarm without an action, and each names its runbook entry', () => {
    for (const [id, a] of resourcesOf('AWS::CloudWatch::Alarm')) {
      expect(notifiesTopic(a), id).toBe(true);
      expect(a.Properties.AlarmDescription, id).toMatch(/Runbook: \S+/);
    }
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    for (const [, a] of resourcesOf('AWS::CloudWatch::Alarm')) {
      const entry = /Runbook: (\S+)/.exec(a.Properties.AlarmDescription)![1];
      expect(runbook, entry).toContain(`## ${entry}`);
    }
  });

  it('mails each failed, timed-out or aborted execution, and SES bounces and complaints, to the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.states'],
        detail: Match.objectLike({ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }),
      }),
      Targets: [Match.objectLike({ Arn: { Ref: topicId() } })],
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: { TopicARN: { Ref: topicId() } },
      }),
    });
  });

  it('has one dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('logs and tracing', () => {
  it('logs JSON at a set level into an explicit group, and traces, on every function', () => {
    for (const [, r] of resourcesOf('AWS::Lambda::Function')) {
      expect(r.Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: expect.any(String) },
      });
      expect(r.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('names the execution log group after the stack and its UUID, never a fixed name', () => {
    const sm = resourcesOf('AWS::StepFunctions::StateMachine')[0][1];
    const groupId = sm.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    const name = cfn.Resources[groupId].Properties.LogGroupName;
    expect(typeof name).not.toBe('string');
    const text = JSON.stringify(name);
    expect(text).toContain('/aws/vendedlogs/states/');
    expect(text).toContain('AWS::StackName');
    expect(text).toContain('AWS::StackId');
  });
});

describe('least privilege on the table', () => {
  it('grants no function Scan, BatchWriteItem, BatchGetItem or transactions, and DeleteItem only to api and send-invites', () => {
    for (const name of HANDLER_NAMES) {
      const actions = dynamoActionsOf(name);
      for (const banned of [
        'dynamodb:Scan',
        'dynamodb:BatchWriteItem',
        'dynamodb:BatchGetItem',
        'dynamodb:TransactWriteItems',
        'dynamodb:*',
      ]) {
        expect(actions.has(banned), `${name} ${banned}`).toBe(false);
      }
      // api ends sign-in sessions; send-invites' idempotency layer frees the record of a failed job.
      expect(actions.has('dynamodb:DeleteItem'), name).toBe(name === 'api' || name === 'send-invites');
      expect(actions.size, name).toBeGreaterThan(0);
    }
  });

  it('gives the pipeline steps only what their code path uses', () => {
    // GetItem: every step reads its organization's document (ORG#<id>/CONFIG), cached per container.
    expect([...dynamoActionsOf('aggregate')].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect([...dynamoActionsOf('record-failure')].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(dynamoActionsOf('validate').has('dynamodb:PutItem')).toBe(false);
  });

  it('bounds the internet-facing api by partition-key prefix; its only delete is a sign-in session', () => {
    const table = statementsOf('api').filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    const onTable = table.filter((s) => !JSON.stringify(s.Resource).includes('/index/'));
    for (const s of onTable) {
      const keys: string[] = s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
      expect(keys).not.toContain('COUNTER#*');
      if ([s.Action].flat().includes('dynamodb:DeleteItem')) expect(keys).toEqual(['SIGNIN#*']);
    }
    const onIndex = table.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
    expect(onIndex.flatMap((s) => [s.Action].flat())).toEqual(['dynamodb:Query']);
  });

  it('lists every partition-key prefix the stores use', () => {
    const dir = new URL('../../shared/adapters/aws/', import.meta.url);
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.startsWith('dynamo-'))) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/(?<![\w'])pk: `([A-Z_]+#)/g)) used.add(m[1]);
      // Keys of an organization's items are built by scopedPk('KIND', …) (dynamo-table.ts).
      for (const m of text.matchAll(/(?<!\w)pk: this\.scopedPk\('([A-Z_]+)'/g)) used.add(`${m[1]}#`);
      for (const m of text.matchAll(/appendAudit\(this\.scopedPk\('([A-Z_]+)'/g)) used.add(`${m[1]}#`);
    }
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((p) => !(KEY_PREFIXES as readonly string[]).includes(p))).toEqual([]);
    expect(Object.keys(TABLE_ACCESS).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  it('sends mail only from the configured sender, through the configuration set', () => {
    const ses = statementsOf('notify-recipients').find((s) => [s.Action].flat().includes('ses:SendEmail'));
    expect(ses.Condition).toEqual({ StringEquals: { 'ses:FromAddress': { Ref: 'MailFrom' } } });
    expect(JSON.stringify(ses.Resource)).toContain(':configuration-set/');
  });
});

describe('records', () => {
  it('protects the table from deletion, keeps PITR and expires items by ttl', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('keeps released reports in an Object Lock bucket with a default retention', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3650 } } },
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    });
  });

  it('moves raw/ submissions to colder storage and expires their old versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'raw/',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
              { StorageClass: 'GLACIER', TransitionInDays: 365 },
            ],
            NoncurrentVersionExpiration: { NoncurrentDays: 365 },
          }),
        ]),
      },
    });
  });
});

describe('schedules and deploy hygiene', () => {
  it('fires the schedules at different, off-the-hour times within a flexible window', () => {
    const schedules = resourcesOf('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
    const crons = schedules.map((p) => p.ScheduleExpression);
    expect(new Set(crons).size).toBe(schedules.length);
    for (const p of schedules) {
      expect(p.ScheduleExpression).not.toMatch(/^cron\(0 8 /);
      expect(p.FlexibleTimeWindow).toMatchObject({ Mode: 'FLEXIBLE', MaximumWindowInMinutes: expect.any(Number) });
    }
  });

  it('retries failed open-period runs (they only queue jobs sent once) and then keeps them in a queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnEntry('open-period')[0] },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
    });
  });

  it('gives the functions a base URL without a trailing slash', () => {
    const url = fnEntry('api')[1].Properties.Environment.Variables.PUBLIC_BASE_URL;
    expect(JSON.stringify(url)).not.toMatch(/\/"\]\]\}$|\/"$/);
    expect(url).toEqual({ 'Fn::GetAtt': [resourcesOf('AWS::ApiGatewayV2::Api')[0][0], 'ApiEndpoint'] });
  });

  it('creates an operator role, assumable with MFA, that may call /api/* only', () => {
    const [roleId, role] = resourcesOf('AWS::IAM::Role').find(([, r]) => r.Properties.Description?.includes('operator'))!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('"aws:MultiFactorAuthPresent":"true"');
    const statements = resourcesOf('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((s) => [s.Action].flat())).toEqual(['execute-api:Invoke']);
    template.hasOutput('OperatorRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  it('takes the stack name from context, default Baocao', () => {
    expect(buildApp({ bundle: false, cfnValidation: false }).stack.stackName).toBe('Baocao');
    expect(buildApp({ bundle: false, cfnValidation: false, context: { stackName: 'BaocaoSoNoiVu' } }).stack.stackName).toBe(
      'BaocaoSoNoiVu',
    );
  });
});

import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/baocao-stack';

/** Issue 15 (ADR 0046): released files in the archive, the invite fan-out, exact grants. */

let cfn: Record<string, any>;

beforeAll(() => {
  const { stack } = buildApp({ bundle: false, cfnValidation: false });
  cfn = Template.fromStack(stack).toJSON();
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
const archiveId = () => resourcesOf('AWS::S3::Bucket').find(([, b]) => b.Properties.ObjectLockEnabled)![0];
const reportsId = () => resourcesOf('AWS::S3::Bucket').find(([, b]) => b.Properties.CorsConfiguration)![0];
/** The logical ids of the buckets a statement's resources name. */
const bucketsOf = (s: any) => {
  const text = JSON.stringify(s.Resource);
  return [archiveId(), reportsId()].filter((id) => text.includes(`"${id}"`));
};
const grantsOf = (name: string, action: string) => statementsOf(name).filter((s) => [s.Action].flat().includes(action));

describe('released reports live in the Object Lock archive', () => {
  it('lets release only put under released/ of the archive, and nothing of the reports bucket', () => {
    const puts = grantsOf('release', 's3:PutObject');
    expect(puts.flatMap(bucketsOf)).toEqual([archiveId()]);
    expect(JSON.stringify(puts[0].Resource)).toContain('/released/*');
    for (const denied of ['s3:DeleteObject', 's3:PutObjectRetention', 's3:BypassGovernanceRetention', 's3:PutObjectLegalHold']) {
      expect(grantsOf('release', denied), denied).toEqual([]);
    }
    // release reads drafts (the aggregate) from the reports bucket, never released files.
    expect(grantsOf('release', 's3:GetObject').flatMap(bucketsOf)).toEqual([reportsId()]);
  });

  it('lets api presign downloads from the archive, and read no released/ of the reports bucket', () => {
    const reads = grantsOf('api', 's3:GetObject')
      .flatMap((s) => [s.Resource].flat())
      .map((r) => ({ bucket: bucketsOf({ Resource: r })[0], text: JSON.stringify(r) }));
    expect(reads.filter((r) => r.bucket === archiveId()).map((r) => r.text.includes('/released/*'))).toEqual([true]);
    expect(reads.filter((r) => r.bucket === reportsId() && r.text.includes('/released/'))).toEqual([]);
    expect(grantsOf('api', 's3:PutObject').flatMap(bucketsOf)).toEqual([reportsId()]);
  });

  it('names the archive to exactly the functions that touch it', () => {
    const withArchive = resourcesOf('AWS::Lambda::Function')
      .filter(([, r]) => r.Properties.Environment.Variables.ARCHIVE_BUCKET_NAME)
      .map(([, r]) => r.Properties.Environment.Variables.HANDLER_NAME)
      .sort();
    expect(withArchive).toEqual(['api', 'release']);
    expect(fnEntry('release')[1].Properties.Environment.Variables.ARCHIVE_BUCKET_NAME).toEqual({ Ref: archiveId() });
  });
});

describe('invites fan out through a queue', () => {
  const queues = () => resourcesOf('AWS::SQS::Queue');
  const workQueue = () => queues().find(([, q]) => q.Properties.RedrivePolicy)!;
  const mapping = () =>
    resourcesOf('AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName.Ref === fnEntry('send-invites')[0])![1];

  it('feeds send-invites from an encrypted queue with a dead-letter queue after 5 receives', () => {
    const [, q] = workQueue();
    expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    const dlqId = q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(cfn.Resources[dlqId].Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    expect(mapping().Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [workQueue()[0], 'Arn'] });
  });

  it("reports partial batch failures and keeps the consumer within SES's sending rate", () => {
    const m = mapping().Properties;
    expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(m.BatchSize).toBe(10);
    const concurrency = m.ScalingConfig.MaximumConcurrency;
    const rate = Number(fnEntry('send-invites')[1].Properties.Environment.Variables.MAIL_SEND_RATE);
    // Default SES production rate: 14 recipients per second for the whole account.
    expect(concurrency * rate).toBeLessThanOrEqual(14);
    expect(rate).toBeGreaterThan(0);
  });

  it('hides a message for at least six times the consumer timeout (AWS guidance for Lambda consumers)', () => {
    const timeout = fnEntry('send-invites')[1].Properties.Timeout;
    expect(workQueue()[1].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('lets open-period send to the queue, read the table and mail nobody', () => {
    const vars = fnEntry('open-period')[1].Properties.Environment.Variables;
    expect(vars.INVITE_QUEUE_URL).toEqual({ Ref: workQueue()[0] });
    const actions = statementsOf('open-period').flatMap((s) => [s.Action].flat());
    expect(actions).toContain('sqs:SendMessage');
    expect(actions.some((a: string) => a.startsWith('ses:'))).toBe(false);
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Query',
    ]);
    // The invite queue, and the schedule's dead-letter queue (its failed-run destination).
    const send = statementsOf('open-period').find((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect([send.Resource].flat()).toContainEqual({ 'Fn::GetAtt': [workQueue()[0], 'Arn'] });
    expect([send.Resource].flat().every((r: any) => cfn.Resources[r['Fn::GetAtt'][0]].Type === 'AWS::SQS::Queue')).toBe(true);
  });

  it('bounds send-invites to the item families of an invite and its idempotency record', () => {
    const table = statementsOf('send-invites').filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    for (const s of table) {
      const prefixes: string[] = s.Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
      if ([s.Action].flat().includes('dynamodb:DeleteItem')) expect(prefixes).toEqual(['IDEMPOTENCY#*']);
      else expect(prefixes.sort()).toEqual(['IDEMPOTENCY#*', 'INTAKE#*', 'INVITE#*', 'ORG#*', 'PERIOD#*']);
    }
    expect(statementsOf('api').some((s) => JSON.stringify(s.Condition ?? {}).includes('IDEMPOTENCY#'))).toBe(false);
  });
});

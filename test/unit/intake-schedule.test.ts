import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/baocao-stack';

let template: Template;
let cfn: Record<string, any>;

beforeAll(() => {
  const { stack } = buildApp({ bundle: false, cfnValidation: false });
  template = Template.fromStack(stack);
  cfn = template.toJSON();
});

const openPeriodId = () =>
  Object.entries<any>(cfn.Resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.HANDLER_NAME === 'open-period',
  )![0];

describe('intake schedules (EventBridge Scheduler)', () => {
  it('opens each quarter on the 15th (07:40) and reminds 3 days before the 20th (09:10), in Vietnam time', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    for (const [expr, action] of [
      ['cron(40 7 15 3,6,9,12 ? *)', 'open'],
      ['cron(10 9 17 3,6,9,12 ? *)', 'remind'],
    ]) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expr,
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [openPeriodId(), 'Arn'] },
          Input: JSON.stringify({ action }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      });
    }
  });

  it('lets the schedules invoke only the open-period function and write their dead-letter queue', () => {
    const schedule = Object.values<any>(cfn.Resources).find((r) => r.Type === 'AWS::Scheduler::Schedule')!;
    const roleId = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    const statements = Object.values<any>(cfn.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(JSON.stringify(statements)).toContain(openPeriodId());
  });
});

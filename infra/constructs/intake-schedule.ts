import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag';

export interface IntakeScheduleProps {
  /** The open-period function (functions/open-period.ts). */
  readonly handler: lambda.IFunction;
  /**
   * Days before the deadline (the 20th of a quarter's last month) the automatic reminder goes out.
   * @default 3
   */
  readonly reminderDaysBefore?: number;
  /**
   * Hour of day, Vietnam time, at which both schedules fire.
   * @default 8
   */
  readonly hour?: number;
}

/**
 * EventBridge Scheduler, Vietnam time: on the 15th of March, June, September and December (a
 * quarter's data window starts then) every division gets its invite; N days before the 20th of
 * those months, the divisions still missing get a reminder. Failed invocations are retried, then
 * kept in an encrypted dead-letter queue.
 */
export class IntakeSchedule extends Construct {
  public readonly open: scheduler.Schedule;
  public readonly remind: scheduler.Schedule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IntakeScheduleProps) {
    super(scope, id);
    const days = props.reminderDaysBefore ?? 3;
    if (!Number.isInteger(days) || days < 1 || days > 19) throw new Error('reminderDaysBefore must be an integer from 1 to 19');
    const hour = String(props.hour ?? 8);
    const tz = TimeZone.ASIA_HO_CHI_MINH;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the intake schedules.');

    // Own role rather than the stack-wide singleton the targets module would create: scoped here.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'baocao intake schedules: invoke open-period',
    });
    acknowledgeWildcardResources(
      role,
      [`${props.handler.functionArn}:*`],
      'lambda:InvokeFunction on the open-period function and its versions/aliases (grantInvoke); nothing else.',
    );
    const target = (action: 'open' | 'remind') =>
      new targets.LambdaInvoke(props.handler, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ action }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      });

    this.open = new scheduler.Schedule(this, 'OpenQuarter', {
      description: 'Open the quarter: mail every division its invite link',
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour, day: '15', month: '3,6,9,12', timeZone: tz }),
      target: target('open'),
    });
    this.remind = new scheduler.Schedule(this, 'RemindMissing', {
      description: `Remind divisions still missing ${days} days before the quarter's deadline`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour, day: String(20 - days), month: '3,6,9,12', timeZone: tz }),
      target: target('remind'),
    });
  }
}

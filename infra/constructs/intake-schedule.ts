import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag';

export interface IntakeScheduleProps {
  /** The open-period function (functions/open-period.ts). */
  readonly handler: lambda.Function;
  /**
   * Days before the deadline (the 20th of a quarter's last month) the automatic reminder goes out.
   * @default 3
   */
  readonly reminderDaysBefore?: number;
  /**
   * Time of day, Vietnam time, the invites go out on the 15th. Off the hour on purpose: many
   * deployments (one per department or province) should not all mail SES at 08:00.
   * @default { hour: 7, minute: 40 }
   */
  readonly openAt?: TimeOfDay;
  /**
   * Time of day, Vietnam time, of the reminder.
   * @default { hour: 9, minute: 10 }
   */
  readonly remindAt?: TimeOfDay;
  /**
   * Scheduler spreads each firing at random over this window after the set time.
   * @default Duration.minutes(20)
   */
  readonly spread?: Duration;
}

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

function checkTime(name: string, t: TimeOfDay): { hour: string; minute: string } {
  if (!Number.isInteger(t.hour) || t.hour < 0 || t.hour > 23 || !Number.isInteger(t.minute) || t.minute < 0 || t.minute > 59) {
    throw new Error(`${name} must be a time of day (hour 0–23, minute 0–59)`);
  }
  return { hour: String(t.hour), minute: String(t.minute) };
}

/**
 * EventBridge Scheduler, Vietnam time: on the 15th of March, June, September and December (a
 * quarter's data window starts then) every division gets its invite; N days before the 20th of
 * those months, the divisions still missing get a reminder. Undeliverable invocations and failed
 * runs of the function are kept in one encrypted dead-letter queue (alarmed in Monitoring).
 */
export class IntakeSchedule extends Construct {
  public readonly open: scheduler.Schedule;
  public readonly remind: scheduler.Schedule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IntakeScheduleProps) {
    super(scope, id);
    const days = props.reminderDaysBefore ?? 3;
    if (!Number.isInteger(days) || days < 1 || days > 19) throw new Error('reminderDaysBefore must be an integer from 1 to 19');
    const openAt = checkTime('openAt', props.openAt ?? { hour: 7, minute: 40 });
    const remindAt = checkTime('remindAt', props.remindAt ?? { hour: 9, minute: 10 });
    const timeWindow = scheduler.TimeWindow.flexible(props.spread ?? Duration.minutes(20));
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
      schedule: scheduler.ScheduleExpression.cron({ ...openAt, day: '15', month: '3,6,9,12', timeZone: tz }),
      timeWindow,
      target: target('open'),
    });
    this.remind = new scheduler.Schedule(this, 'RemindMissing', {
      description: `Remind divisions still missing ${days} days before the quarter's deadline`,
      schedule: scheduler.ScheduleExpression.cron({ ...remindAt, day: String(20 - days), month: '3,6,9,12', timeZone: tz }),
      timeWindow,
      target: target('remind'),
    });

    // Scheduler invokes asynchronously. The function only queues jobs, each sent once by
    // send-invites (InviteFanout), so Lambda's retries are safe; a run that still fails waits in
    // the dead-letter queue, which alarms.
    props.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** Address subscribed to the alarm topic (it must confirm the subscription mail). None: subscribe later. */
  readonly alarmEmail?: string;
  /** Lambda functions by handler name: Errors and Throttles alarms for each. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly stateMachine: sfn.IStateMachine;
  /** Dead-letter queues by a short name used in alarm ids and texts. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Work queues by short name: alarmed when their oldest message waits longer than `backlogAge`. */
  readonly workQueues?: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Age of a work queue's oldest message that means its consumer is not keeping up (or failing).
   * @default 1 hour
   */
  readonly backlogAge?: Duration;
  readonly httpApi: apigw.IHttpApi;
  /** Bounces, complaints and rejections of this set are published to the topic. */
  readonly configurationSet?: ses.ConfigurationSet;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Operations: every failure source has an alarm that mails a person through one encrypted SNS
 * topic, a failed/timed-out/aborted execution is also announced with its name, and one dashboard
 * shows the same metrics. docs/runbook.md says what each alarm means and what to do.
 */
export class Monitoring extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // A customer-managed key: CloudWatch, EventBridge and SES cannot publish to a topic under
    // the AWS-managed aws/sns key, whose policy cannot be changed.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'baocao: encrypts the operations alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch and SES document the aws:SourceAccount condition for this; EventBridge's
    // documented key policy has none, so it is left unconditioned (verify on first deploy).
    for (const service of ['cloudwatch.amazonaws.com', 'ses.amazonaws.com', 'events.amazonaws.com']) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          ...(service === 'events.amazonaws.com' ? {} : { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
        }),
      );
    }
    this.topic = new sns.Topic(this, 'Alarms', {
      displayName: 'baocao alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);

    const alarm = (cid: string, metric: cloudwatch.IMetric, description: string) => {
      const a = new cloudwatch.Alarm(this, cid, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };
    const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };

    const sm = props.stateMachine;
    const executions = [
      alarm(
        'ExecutionsFailed',
        sm.metricFailed(sum),
        'Báo cáo lỗi / Executions failed: a report run ended failed. Runbook: ExecutionsFailed',
      ),
      alarm(
        'ExecutionsTimedOut',
        sm.metricTimedOut(sum),
        'Báo cáo quá hạn / Executions timed out: a report run exceeded the pipeline timeout. Runbook: ExecutionsTimedOut',
      ),
      alarm(
        'ExecutionsAborted',
        sm.metricAborted(sum),
        'Báo cáo bị dừng / Executions aborted: someone stopped a report run. Runbook: ExecutionsAborted',
      ),
    ];

    const fnWidgets: cloudwatch.IWidget[] = [];
    for (const [name, fn] of Object.entries(props.functions)) {
      const cid = name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      const errors = fn.metricErrors(sum);
      const throttles = fn.metricThrottles(sum);
      alarm(`${cid}Errors`, errors, `Lỗi hàm ${name} / Lambda ${name} errors. Runbook: LambdaErrors`);
      alarm(`${cid}Throttles`, throttles, `Hàm ${name} bị giới hạn / Lambda ${name} throttled. Runbook: LambdaThrottles`);
      fnWidgets.push(
        new cloudwatch.GraphWidget({
          title: name,
          left: [errors, throttles],
          right: [fn.metricDuration({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(95) })],
          width: 8,
        }),
      );
    }

    const dlqMetrics: cloudwatch.IMetric[] = [];
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      const cid = name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      const visible = queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM });
      alarm(
        `${cid}DeadLetters`,
        visible,
        `Thư chờ xử lý lỗi (${name}) / Messages in the ${name} dead-letter queue. Runbook: DeadLetters-${name}`,
      );
      dlqMetrics.push(visible);
    }

    const backlog = props.backlogAge ?? Duration.hours(1);
    for (const [name, queue] of Object.entries(props.workQueues ?? {})) {
      const cid = name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      const age = queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.MAXIMUM });
      const a = new cloudwatch.Alarm(this, `${cid}Backlog`, {
        alarmDescription: `Hàng đợi ${name} bị ứ / The ${name} queue is not draining. Runbook: Backlog-${name}`,
        metric: age,
        threshold: backlog.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      dlqMetrics.push(age);
    }

    const api5xx = props.httpApi.metricServerError(sum);
    alarm('Api5xx', api5xx, 'Lỗi máy chủ trang web / HTTP API 5xx responses. Runbook: Api5xx');

    // Besides the count alarms: one mail per ended execution, naming it and its status.
    new events.Rule(this, 'ExecutionEnded', {
      description: 'A report run failed, timed out or was aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [sm.stateMachineArn], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      targets: [
        new targets.SnsTopic(this.topic, {
          message: events.RuleTargetInput.fromText(
            `Quy trình báo cáo ${events.EventField.fromPath('$.detail.name')} kết thúc với trạng thái ${events.EventField.fromPath('$.detail.status')}. ` +
              `Report run ${events.EventField.fromPath('$.detail.executionArn')} ended ${events.EventField.fromPath('$.detail.status')}. See docs/runbook.md.`,
          ),
        }),
      ],
    });

    props.configurationSet?.addEventDestination('ToOperators', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
        [
          new cloudwatch.GraphWidget({
            title: 'Report runs',
            left: [sm.metricStarted(sum), sm.metricSucceeded(sum), ...executions.map((a) => a.metric)],
            width: 12,
          }),
          new cloudwatch.GraphWidget({ title: 'Queues', left: dlqMetrics, width: 6 }),
          new cloudwatch.GraphWidget({
            title: 'HTTP API',
            left: [props.httpApi.metricCount(sum), props.httpApi.metricClientError(sum), api5xx],
            width: 6,
          }),
        ],
        fnWidgets,
      ],
    });
  }
}

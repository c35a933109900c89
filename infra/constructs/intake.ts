import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { Prefix } from './storage';

export interface IntakeProps {
  /** The bucket; must have EventBridge notifications on. */
  readonly bucket: s3.IBucket;
  /** The ingest function. */
  readonly ingest: lambda.Function;
  /**
   * Delivery retries EventBridge makes before the event goes to the dead-letter queue.
   * @default 8
   */
  readonly retryAttempts?: number;
}

/**
 * S3 `Object Created` under `raw/` → ingest. Events that cannot be delivered, and invocations
 * that still fail after Lambda's async retries, land in one encrypted dead-letter queue (its
 * alarm is in Monitoring), so no submission is lost silently.
 */
export class Intake extends Construct {
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the intake.');

    this.rule = new events.Rule(this, 'RawObjectCreated', {
      description: 'A division uploaded a submission under raw/',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: events.Match.prefix(Prefix.raw) },
        },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.ingest, {
        retryAttempts: props.retryAttempts ?? 8,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    // EventBridge invokes asynchronously: a handler error is retried by Lambda, then dropped
    // unless it has a failure destination.
    props.ingest.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Prefix } from './storage';

export interface ReconcilerProps {
  /** The reconcile-uploads function. */
  readonly handler: lambda.Function;
  readonly bucket: s3.IBucket;
  /** The intake's dead-letter queue: an ingest whose retries are exhausted lands there. */
  readonly intakeDeadLetters: sqs.IQueue;
  /**
   * How often raw/ is checked for objects without an outcome.
   * @default 10 minutes
   */
  readonly every?: Duration;
}

/**
 * Nothing S3 accepted is lost (docs/adr/0031-records-exactly-once.md): every 10 minutes, and
 * whenever an ingest ends in the dead-letter queue, the reconciler lists raw/ and ingests the
 * objects without an outcome (or whose claim went stale). The queue's messages need no parsing:
 * a batch is deleted once the reconcile succeeded, and returns to the queue when it throws.
 */
export class Reconciler extends Construct {
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcilerProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Every', {
      description: 'Ingest raw/ uploads left without an outcome',
      schedule: events.Schedule.rate(props.every ?? Duration.minutes(10)),
    });
    this.rule.addTarget(new targets.LambdaFunction(props.handler, { retryAttempts: 2, maxEventAge: Duration.minutes(10) }));
    props.handler.addEventSource(new SqsEventSource(props.intakeDeadLetters, { batchSize: 10, maxBatchingWindow: Duration.seconds(30) }));
    // Listing raw/ only; object reads and writes come from FUNCTION_PROFILES.
    props.handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${Prefix.raw}*`] } },
      }),
    );
  }
}

import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface InviteFanoutProps {
  /** open-period: plans the jobs and enqueues them (INVITE_QUEUE_URL, sqs:SendMessage). */
  readonly producer: lambda.Function;
  /** send-invites: mails one job per message. */
  readonly consumer: lambda.Function;
  /**
   * SES's maximum sending rate of the account, recipients per second (Service Quotas, SES
   * "Sending rate"; 1 in the sandbox, 14 by default in production).
   * @default 14
   */
  readonly sesSendRate?: number;
  /**
   * Concurrent consumer invocations (SQS event sources allow 2 to 1000).
   * @default 2
   */
  readonly maxConcurrency?: number;
  /**
   * Messages per consumer invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Receives of one message before it rests in the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/**
 * Invites and reminders fan out through a queue (docs/adr/0046-operable-on-aws.md): open-period
 * enqueues one message per division and quarter, send-invites consumes them. The consumer's
 * concurrency and its own pacing (MAIL_SEND_RATE = SES rate / concurrency, in recipients per
 * second) keep the whole fan-out within SES's sending rate, however many organizations the
 * deployment serves. Each job is sent once (Powertools Idempotency on the table); failed
 * messages are reported one by one and, after maxReceiveCount receives, rest in the
 * dead-letter queue (alarmed in Monitoring).
 */
export class InviteFanout extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly eventSource: SqsEventSource;
  /** Recipients per second one consumer invocation mails. */
  public readonly sendRatePerInvocation: number;

  constructor(scope: Construct, id: string, props: InviteFanoutProps) {
    super(scope, id);
    const sesSendRate = props.sesSendRate ?? 14;
    const maxConcurrency = props.maxConcurrency ?? 2;
    const batchSize = props.batchSize ?? 10;
    if (!(sesSendRate > 0)) throw new Error('sesSendRate must be a positive number of recipients per second');
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) throw new Error('maxConcurrency must be 2–1000');
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) throw new Error('batchSize must be 1–10');
    this.sendRatePerInvocation = sesSendRate / maxConcurrency;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // No AwsSolutions-SQS3 acknowledgement: cdk-nag sees this is the redrive target of the queue below.

    // AWS's advice for a Lambda-consumed queue: visibility timeout at least six times the function's.
    const fnTimeout = props.consumer.timeout ?? Duration.seconds(3);
    this.queue = new sqs.Queue(this, 'Invites', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(fnTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.eventSource = new SqsEventSource(this.queue, {
      batchSize,
      maxConcurrency,
      reportBatchItemFailures: true,
    });
    props.consumer.addEventSource(this.eventSource);
    props.consumer.addEnvironment('MAIL_SEND_RATE', String(this.sendRatePerInvocation));

    this.queue.grantSendMessages(props.producer);
    props.producer.addEnvironment('INVITE_QUEUE_URL', this.queue.queueUrl);
  }
}

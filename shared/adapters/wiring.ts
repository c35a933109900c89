import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { organization } from '../config';
import { noMetrics, powertoolsMetrics } from '../observability/metrics';
import { getTemplate } from '../templates';
import { DynamoIngestLedger } from './aws/dynamo-ingest-ledger';
import { DynamoIntakeStore } from './aws/dynamo-intake-store';
import { DynamoRegister } from './aws/dynamo-register';
import { DynamoRepository } from './aws/dynamo-repository';
import { DynamoSigninStore } from './aws/dynamo-signin-store';
import { makeMailer } from './aws/mailer';
import { makeS3Client, S3BlobStore } from './aws/s3-blob-store';
import { SfnWorkflow } from './aws/sfn-workflow';
import { readEnv } from './env';

/**
 * The one wiring module: the only place that knows the DynamoDB, S3, Step Functions and mail
 * classes. It builds the real adapters once per Lambda container from the validated environment;
 * every use case and route sees them only through the ports (shared/ports.ts and each slice's).
 */
function awsDeps() {
  const env = readEnv();
  const blobs = new S3BlobStore(env.BUCKET_NAME, makeS3Client(env.AWS_ENDPOINT_URL_S3));
  return {
    env,
    repo: new DynamoRepository(env.TABLE_NAME, new DynamoDBClient({}), blobs),
    ledger: new DynamoIngestLedger(env.TABLE_NAME, new DynamoDBClient({})),
    /** Owner of this container's ingest claims: the local runtime names its instance, so a restart can take over the previous one's. */
    claimOwner: process.env.BAOCAO_INSTANCE || `lambda-${randomUUID()}`,
    register: new DynamoRegister(env.TABLE_NAME, new DynamoDBClient({})),
    intake: new DynamoIntakeStore(env.TABLE_NAME, new DynamoDBClient({})),
    intakeOptions: { graceDays: env.INVITE_GRACE_DAYS, reminderDaysBefore: env.REMINDER_DAYS_BEFORE },
    signin: new DynamoSigninStore(env.TABLE_NAME, new DynamoDBClient({})),
    blobs,
    objects: blobs,
    mailer: makeMailer({
      transport: env.MAIL_TRANSPORT,
      from: env.MAIL_FROM,
      smtpUrl: env.SMTP_URL,
      configurationSet: env.MAIL_CONFIGURATION_SET,
    }),
    workflow: new SfnWorkflow(env.STATE_MACHINE_ARN, new SFNClient({})),
    organization,
    template: getTemplate(env.TEMPLATE_ID),
    baseUrl: env.PUBLIC_BASE_URL ?? '',
    now: () => new Date(),
    local: env.BAOCAO_LOCAL === '1',
    // EMF lines only on Lambda: the local runtime's console stays readable.
    metrics: env.BAOCAO_LOCAL === '1' ? noMetrics : powertoolsMetrics(organization.id),
  };
}

export type AwsDeps = ReturnType<typeof awsDeps>;

let cached: AwsDeps | undefined;
/** Lazily bound so that importing a handler module for its makeHandler never needs the environment. */
export function defaultDeps(): AwsDeps {
  cached ??= awsDeps();
  return cached;
}

/** The workflow port for one given state machine (ContinueAsNew learns its own from the execution context). */
export function workflowFor(stateMachineArn: string) {
  return new SfnWorkflow(stateMachineArn, new SFNClient({}));
}

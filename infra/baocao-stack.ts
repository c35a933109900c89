import { readFileSync } from 'node:fs';
import { App, Aws, CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './constructs/api';
import { Functions } from './constructs/functions';
import { Intake } from './constructs/intake';
import { IntakeSchedule } from './constructs/intake-schedule';
import { InviteFanout } from './constructs/invite-fanout';
import { Mail } from './constructs/mail';
import { Monitoring } from './constructs/monitoring';
import { OperatorAccess } from './constructs/operator-access';
import { Pipeline } from './constructs/pipeline';
import { Reconciler } from './constructs/reconciler';
import { Storage } from './constructs/storage';

/** Construct id of the stack (tests and the local runtime look it up by this). */
export const STACK_NAME = 'BaocaoStack';
/** CloudFormation stack name unless context `stackName` says otherwise. */
export const DEFAULT_STACK_NAME = 'Baocao';
export const DEFAULT_MAIL_FROM = 'baocao@example.com';

export interface BaocaoStackProps extends StackProps {
  /**
   * Default of the `MailFrom` parameter.
   * @default context `mailFrom`, else 'baocao@example.com'
   */
  readonly mailFrom?: string;
  /**
   * Address subscribed to the alarm topic (confirm the mail AWS sends).
   * @default context `alarmEmail`, else no subscription (add one to the topic later)
   */
  readonly alarmEmail?: string;
  /**
   * IAM principals (ARNs) allowed to assume the operator role, besides this account's
   * principals that signed in with MFA.
   * @default context `operatorPrincipalArns` (comma-separated), else none
   */
  readonly operatorPrincipalArns?: readonly string[];
}

/**
 * Everything baocao runs on AWS. Environment-agnostic: no account/region lookups, so it
 * synthesizes offline without credentials.
 */
export class BaocaoStack extends Stack {
  public readonly storage: Storage;
  public readonly mail: Mail;
  public readonly functions: Functions;
  public readonly intake: Intake;
  public readonly intakeSchedule: IntakeSchedule;
  public readonly inviteFanout: InviteFanout;
  public readonly pipeline: Pipeline;
  public readonly api: Api;
  public readonly monitoring: Monitoring;
  public readonly operators: OperatorAccess;

  constructor(scope: Construct, id: string, props: BaocaoStackProps = {}) {
    super(scope, id, {
      description: 'baocao: collect, validate, aggregate, approve and release periodic reports',
      ...props,
    });

    const mailFrom = new CfnParameter(this, 'MailFrom', {
      type: 'String',
      description: 'Sender address of all mail. It (or its domain) must be a verified SES identity in this region.',
      default: props.mailFrom ?? (this.node.tryGetContext('mailFrom') as string | undefined) ?? DEFAULT_MAIL_FROM,
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an email address',
    });

    this.storage = new Storage(this, 'Storage');
    this.mail = new Mail(this, 'Mail', { sender: mailFrom.valueAsString });
    this.functions = new Functions(this, 'Functions', { storage: this.storage, mail: this.mail });
    this.intake = new Intake(this, 'Intake', { bucket: this.storage.bucket, ingest: this.functions.get('ingest') });
    new Reconciler(this, 'Reconciler', {
      handler: this.functions.get('reconcile-uploads'),
      bucket: this.storage.bucket,
      intakeDeadLetters: this.intake.deadLetterQueue,
    });
    this.intakeSchedule = new IntakeSchedule(this, 'IntakeSchedule', { handler: this.functions.get('open-period') });
    this.inviteFanout = new InviteFanout(this, 'InviteFanout', {
      producer: this.functions.get('open-period'),
      consumer: this.functions.get('send-invites'),
    });
    this.pipeline = new Pipeline(this, 'Pipeline', { functions: this.functions });
    this.pipeline.grantOperate(this.functions.get('api'));
    this.api = new Api(this, 'Api', { handler: this.functions.get('api') });
    // The endpoint depends only on the HttpApi resource, not on routes or integrations, so even
    // the api function can carry it without a dependency cycle. It has no trailing slash (the
    // stage URL has one), so `${base}/decision/…` never doubles it.
    this.functions.setPublicBaseUrl(this.api.httpApi.apiEndpoint);
    uniqueExecutionLogGroupName(this.pipeline.logGroup);

    const ctx = (key: string) => this.node.tryGetContext(key) as string | undefined;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      alarmEmail: props.alarmEmail ?? ctx('alarmEmail'),
      functions: this.functions.byName,
      stateMachine: this.pipeline.stateMachine,
      deadLetterQueues: {
        intake: this.intake.deadLetterQueue,
        schedule: this.intakeSchedule.deadLetterQueue,
        invites: this.inviteFanout.deadLetterQueue,
      },
      workQueues: { invites: this.inviteFanout.queue },
      httpApi: this.api.httpApi,
      configurationSet: this.mail.configurationSet,
    });
    this.operators = new OperatorAccess(this, 'Operators', {
      api: this.api,
      trustedPrincipalArns: props.operatorPrincipalArns ?? splitList(ctx('operatorPrincipalArns')),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of forms, approval pages and /api/*' });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ArchiveBucketName', {
      value: this.storage.archiveBucket.bucketName,
      description: 'Released reports under Object Lock',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn, description: 'Subscribe operators here' });
    new CfnOutput(this, 'OperatorRoleArn', {
      value: this.operators.role.roleArn,
      description: 'Assume (with MFA) to use the baocao CLI against /api/*',
    });
  }
}

/**
 * The execution log group keeps the vendedlogs prefix (one CloudWatch Logs resource policy for
 * all such groups) but ends with the stack's own UUID: the group is retained, so a fixed name
 * would make a redeploy after deleting the stack fail on "already exists".
 * Set here, from the stack, because pipeline.ts is being changed elsewhere; move it there later.
 */
function uniqueExecutionLogGroupName(group: logs.LogGroup): void {
  const cfn = group.node.defaultChild as logs.CfnLogGroup;
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  cfn.logGroupName = Fn.join('', ['/aws/vendedlogs/states/', Aws.STACK_NAME, '-pipeline-', stackUuid]);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface BuildAppOptions {
  /**
   * Bundle the functions with esbuild. When false, the context `aws:cdk:bundling-stacks: []`
   * makes NodejsFunction skip bundling (fast; for tests and the local runtime).
   * @default true
   */
  readonly bundle?: boolean;
  /** Extra context, e.g. `{ mailFrom }`. */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory. @default a temporary directory (or the CLI's) */
  readonly outdir?: string;
  /**
   * CDK's built-in CloudFormation schema validation at synth (about 3 s on first use; its
   * findings are warnings only). `cdk synth` keeps it; in-process synths may skip it.
   * @default true
   */
  readonly cfnValidation?: boolean;
}

/** The one place the app is assembled; used by infra/app.ts, infra/synth.ts and the tests. */
export function buildApp(opts: BuildAppOptions = {}): { app: App; stack: BaocaoStack } {
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...opts.context };
  if (opts.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({
    context,
    builtinCloudFormationValidation: opts.cfnValidation ?? true,
    ...(opts.outdir ? { outdir: opts.outdir } : {}),
  });
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new BaocaoStack(app, STACK_NAME, { stackName });
  return { app, stack };
}

/**
 * Feature flags from cdk.json, so an in-process synth (tests, local runtime) renders the same
 * template as `cdk synth`, which passes them itself.
 */
function cdkJsonContext(): Record<string, unknown> {
  const raw = readFileSync(new URL('../cdk.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { context?: Record<string, unknown> }).context ?? {};
}

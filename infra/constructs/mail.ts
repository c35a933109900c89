import { ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /**
   * The sender address (`From:`) — a literal or a token such as a CfnParameter's value.
   * The address or its domain must be a verified SES identity in the deployment region;
   * verification is a manual step (docs/adr/0004-mail-through-ses.md).
   */
  readonly sender: string;
  /**
   * Value of MAIL_TRANSPORT given to the functions.
   * @default 'ses'
   */
  readonly transport?: string;
}

/**
 * Outgoing mail through SES (nodemailer's SES transport in the functions). Grants are scoped to
 * the sender's identity ARNs (the address itself and its domain, whichever one is verified) and
 * to the configuration set, and conditioned on `ses:FromAddress` = the sender. Recipients cannot
 * be bounded statically: approvers, divisions and recipients come from organization.json and may
 * change without a redeploy of IAM, so `ses:Recipients` is not used.
 */
export class Mail extends Construct {
  public readonly sender: string;
  public readonly transport: string;
  /** ARNs of the SES identities the functions may send as. */
  public readonly identityArns: string[];
  /** Every send goes through it, so bounces and complaints are published (Monitoring subscribes). */
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.sender = props.sender;
    this.transport = props.transport ?? 'ses';
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    // Fn::Split works on both literals and parameter values, so the domain follows the parameter.
    const domain = Fn.select(1, Fn.split('@', this.sender));
    this.identityArns = [identity(this.sender), identity(domain)];
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Sets MAIL_FROM / MAIL_TRANSPORT / MAIL_CONFIGURATION_SET without any send permission. */
  configure(fn: lambda.Function): void {
    fn.addEnvironment('MAIL_FROM', this.sender);
    fn.addEnvironment('MAIL_TRANSPORT', this.transport);
    fn.addEnvironment('MAIL_CONFIGURATION_SET', this.configurationSet.configurationSetName);
  }

  /** Sets the mail environment and allows sending as the sender identity only. */
  grantSend(fn: lambda.Function): iam.Grant {
    this.configure(fn);
    return iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      // SESv2 SendEmail with a configuration set is authorized against the set too.
      resourceArns: [...this.identityArns, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.sender } },
    });
  }
}

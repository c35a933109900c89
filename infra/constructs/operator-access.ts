import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Api } from './api';
import { acknowledgeWildcardResources } from './nag';

export interface OperatorAccessProps {
  readonly api: Api;
  /**
   * Further principals (role or user ARNs, possibly of another account) that may assume the role.
   * @default none
   */
  readonly trustedPrincipalArns?: readonly string[];
}

/**
 * The role the `baocao` CLI runs under against a deployed API: it may call the IAM-authorized
 * `/api/*` routes and nothing else. Any principal of this account whose own policy allows
 * sts:AssumeRole on it may assume it, but only after signing in with MFA; the ARNs given in
 * `trustedPrincipalArns` may too (same MFA condition).
 */
export class OperatorAccess extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const principals: iam.IPrincipal[] = [
      new iam.AccountRootPrincipal(),
      ...(props.trustedPrincipalArns ?? []).map((arn) => new iam.ArnPrincipal(arn)),
    ];
    this.role = new iam.Role(this, 'Role', {
      description: 'baocao operator: the CLI against /api/* (assume with MFA)',
      assumedBy: new iam.CompositePrincipal(...principals).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
      maxSessionDuration: Duration.hours(4),
    });
    props.api.grantOperator(this.role);
    acknowledgeWildcardResources(
      this.role,
      props.api.operatorRoutes.map((r) => r.routeArn),
      'execute-api:Invoke on the /api/{proxy+} route of this API only (any method, sub-path and stage): a proxy route is named with wildcards.',
    );
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export interface ApiProps {
  /** The api function: serves the form, decision pages, downloads and the operator API. */
  readonly handler: lambda.IFunction;
  /**
   * Steady-state requests per second across the stage.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Burst capacity of the stage.
   * @default 100
   */
  readonly burstLimit?: number;
  /**
   * Retention of the access log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * HTTP API in front of the api function.
 * - `$default` (public): the division form, approval confirm pages and downloads. Each carries its
 *   own signed or opaque link secret, checked by the handler, so the route has no authorizer.
 * - `ANY /api/{proxy+}` (IAM, SigV4): the operator CLI.
 */
export class Api extends Construct {
  public readonly httpApi: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  public readonly operatorRoutes: apigw.HttpRoute[];
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'baocao: forms, approval pages, downloads and the operator API',
      defaultIntegration: integration,
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        // Route key, not path: paths carry link secrets, which must never be logged.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            iamUser: '$context.identity.userArn',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    this.operatorRoutes = this.httpApi.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigw.HttpMethod.ANY],
      integration,
      authorizer: new HttpIamAuthorizer(),
    });

    // Scoped to the $default route only; /api/* keeps its IAM authorizer and stays checked.
    const defaultRoute = this.httpApi.node.findChild('DefaultRoute');
    acknowledge(
      defaultRoute,
      'AwsSolutions-APIG4',
      'Public $default route: division forms, approval pages and downloads are reached from email links whose signed or opaque secrets the handler verifies (single use, expiring, only hashes stored).',
    );
  }

  /** The base URL (ends with `/`). */
  get url(): string {
    return this.stage.url;
  }

  /** Lets an operator principal call the IAM-authorized /api/* routes. */
  grantOperator(grantee: iam.IGrantable): void {
    for (const route of this.operatorRoutes) route.grantInvoke(grantee);
  }
}

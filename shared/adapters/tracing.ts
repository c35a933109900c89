import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools Tracer: every AWS SDK client the wiring builds is captured, so each DynamoDB, S3,
 * Step Functions, SES and SQS call is a subsegment of the function's X-Ray trace (tracing is
 * Active on every function, infra/constructs/functions.ts). Off outside Lambda — the local
 * runtime and the tests have no X-Ray daemon — and whenever POWERTOOLS_TRACE_ENABLED=false.
 */
export const tracer = new Tracer({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao',
  enabled: tracingEnabled(),
});

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.POWERTOOLS_TRACE_ENABLED === 'false' || env.BAOCAO_LOCAL === '1' || env.VITEST) return false;
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME);
}

/** The client, captured when tracing is on (unchanged otherwise). */
export function traced<C>(client: C): C {
  return tracer.isTracingEnabled() ? (tracer.captureAWSv3Client(client as never) as C) : client;
}

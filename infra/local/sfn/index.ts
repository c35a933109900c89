/**
 * Local Step Functions: the synthesized definition on aws-local-stepfunctions, plus what the
 * library lacks, played the way the service behaves.
 *
 * - handlers.ts — handler modules run in-process, a minimal Lambda context, Lambda error reports
 * - asl.ts — the ASL JSON shapes the runtime reads
 * - departures.ts — every deliberate departure from AWS, with its reason, and how it is applied
 * - rewrite.ts — the definition adjusted by those departures for the library
 * - tokens.ts, store.ts, executions.ts — task tokens, executions.json, the execution service
 * - endpoint.ts — the AWS JSON endpoint for the SDK
 */

export { type AslMachine, type AslState, type Catcher, forLibrary, type Retrier } from './asl';
export * from './departures';
export { type SfnEndpoint, startSfnEndpoint } from './endpoint';
export { LocalStepFunctions, type LocalStepFunctionsOptions, type TaskMapping } from './executions';
export { importFunctionHandler, type LambdaHandler, type LocalLambdaContext, LocalSfnError, lambdaContext, lambdaError } from './handlers';
export { type PreparedDefinition, prepareDefinition, type RewriteOptions, readReferencePath } from './rewrite';
export type { ExecutionRecord, ExecutionStatus } from './store';

/**
 * The one logger: Powertools for AWS Lambda (JSON lines with the service name and the correlation
 * keys of the current invocation), silent in tests unless LOG_LEVEL is set. See shared/observability/.
 */
export { type CorrelationKeys, log } from './observability/logger';

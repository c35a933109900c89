import { type CorrelationKeys, log } from './logger';

/** The part of a Lambda context this needs (the runtime passes the full object). */
interface RequestContext {
  awsRequestId?: string;
}

const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Correlation ids carried by an event: a pipeline task's input (reportId, periodId), the
 * execution ARN when the state machine passes it, and an EventBridge execution status change.
 */
export function correlationKeys(event: unknown): CorrelationKeys {
  if (typeof event !== 'object' || event === null) return {};
  const e = event as Record<string, unknown>;
  const detail = typeof e.detail === 'object' && e.detail !== null ? (e.detail as Record<string, unknown>) : {};
  return {
    reportId: text(e.reportId),
    periodId: text(e.periodId),
    executionArn: text(e.executionArn) ?? text(detail.executionArn),
    organizationId: text(e.organizationId),
  };
}

/**
 * Wraps a Lambda handler so every log line of one invocation carries its correlation ids and the
 * request id; the keys of the previous invocation of a warm container are dropped first.
 */
export function withLogContext<E, R>(
  handler: (event: E, context?: RequestContext) => Promise<R>,
): (event: E, context?: RequestContext) => Promise<R> {
  return (event, context) => {
    log.resetKeys();
    log.appendKeys({ ...correlationKeys(event), requestId: text(context?.awsRequestId) });
    return handler(event, context);
  };
}

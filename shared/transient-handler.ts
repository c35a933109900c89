import { isTransientAwsError, TransientError } from './transient-errors';

/**
 * Wraps a pipeline task handler: a transient AWS or network fault (throttling, 5xx, timeout,
 * reset connection) leaves as TransientError, the name the state machine's retriers match, so
 * the task is retried with backoff instead of failing the report. Anything else passes unchanged.
 * The approval and revision waits are wrapped too: their retry mails fresh links and supersedes the
 * earlier ones, so a recipient may get a second email but never a dead or duplicate live link.
 */
export function retryTransient<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof TransientError || !isTransientAwsError(err)) throw err;
      const e = err as { name?: unknown; message?: unknown };
      throw new TransientError(`Dịch vụ tạm thời không phản hồi (${String(e.name ?? 'Error')}: ${String(e.message ?? '')})`, {
        cause: err,
      });
    }
  };
}

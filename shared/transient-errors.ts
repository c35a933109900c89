/**
 * Faults worth retrying: the service or the network failed for a moment, not our code or the
 * data. A handler that meets one throws TransientError; the pipeline's retriers (infra/constructs)
 * match its name and retry the task with backoff and jitter.
 */

/** The Step Functions error name of a TransientError: what the retriers list in ErrorEquals. */
export const TRANSIENT_ERROR_NAME = 'TransientError';

export class TransientError extends Error {
  override name = TRANSIENT_ERROR_NAME;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** AWS error names (SDK v3 `err.name`) that mean "slow down" or "try again". */
const TRANSIENT_NAMES = new Set([
  // throttling
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  // server side and timeouts
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Node and undici socket error codes of a connection that failed or was cut. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Whether `err` is a transient AWS or network fault: throttling, a 5xx (or 429) answer, a timeout,
 * a reset or refused connection, anything the SDK marks `$retryable`, or a TransientError. Looks
 * into `cause` a few levels deep, where Node and the SDK put the socket error.
 */
export function isTransientAwsError(err: unknown, depth = 0): boolean {
  if (!isObject(err) || depth > 4) return false;
  if (err instanceof TransientError || err.name === TRANSIENT_ERROR_NAME) return true;
  if (isObject(err.$retryable)) return true;
  const status = isObject(err.$metadata) ? err.$metadata.httpStatusCode : undefined;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (typeof err.name === 'string' && TRANSIENT_NAMES.has(err.name)) return true;
  if (typeof err.code === 'string' && TRANSIENT_CODES.has(err.code)) return true;
  return 'cause' in err && err.cause !== err && isTransientAwsError(err.cause, depth + 1);
}

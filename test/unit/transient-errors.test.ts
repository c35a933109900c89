import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { NoSuchKey } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isTransientAwsError, TRANSIENT_ERROR_NAME, TransientError } from '../../shared/transient-errors';

/** An SDK-shaped service error: a name, the HTTP status and, when the SDK deems it so, `$retryable`. */
const sdkError = (name: string, httpStatusCode: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} (simulated)`), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    ...extra,
  });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });

describe('TransientError', () => {
  it('carries the name the pipeline retriers match, and its cause', () => {
    const cause = socketError('ECONNRESET');
    const err = new TransientError('S3 tạm thời không phản hồi', { cause });

    expect(err.name).toBe(TRANSIENT_ERROR_NAME);
    expect(TRANSIENT_ERROR_NAME).toBe('TransientError');
    expect(err).toBeInstanceOf(Error);
    expect(err.cause).toBe(cause);
    expect(isTransientAwsError(err)).toBe(true);
  });
});

describe('isTransientAwsError', () => {
  it.each([
    [
      'DynamoDB throttling (SDK class)',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }),
    ],
    ['ThrottlingException', sdkError('ThrottlingException', 400)],
    ['S3 SlowDown', sdkError('SlowDown', 503)],
    ['a 500 of any name', sdkError('SomethingBroke', 500)],
    ['a 503', sdkError('ServiceUnavailable', 503)],
    ['a 429', sdkError('TooManyRequests', 429)],
    ['a $retryable error even with a 400', sdkError('TransactionConflict', 400, { $retryable: {} })],
    ['an SDK TimeoutError', Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' })],
    ['S3 RequestTimeout', sdkError('RequestTimeout', 400)],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['a socket error as cause', new Error('fetch failed', { cause: socketError('ECONNREFUSED') })],
  ])('is true for %s', (_label, err) => {
    expect(isTransientAwsError(err)).toBe(true);
  });

  it.each([
    [
      'a failed condition',
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } }),
    ],
    ['a missing S3 object', new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } })],
    ['access denied', sdkError('AccessDeniedException', 403)],
    ['a validation error of ours', Object.assign(new Error('Số liệu không hợp lệ'), { name: 'ValidationError' })],
    ['a plain Error', new Error('boom')],
    ['a string', 'ECONNRESET'],
    ['null', null],
    ['undefined', undefined],
  ])('is false for %s', (_label, err) => {
    expect(isTransientAwsError(err)).toBe(false);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isTransientAwsError(a)).toBe(false);
  });
});

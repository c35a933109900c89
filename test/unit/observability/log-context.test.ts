import { afterEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/validate';
import { log } from '../../../shared/log';
import { correlationKeys, withLogContext } from '../../../shared/observability/log-context';
import { powertools } from '../../../shared/observability/logger';
import { captureLog } from '../../support/capture-log';

describe('withLogContext', () => {
  afterEach(() => {
    log.resetKeys();
    powertools.setLogLevel('ERROR');
  });

  it('puts the report, period, execution and request ids on every line of the invocation', async () => {
    powertools.setLogLevel('INFO');
    const handler = withLogContext(async (_event: unknown) => {
      log.info('working', { step: 1 });
      return 'ok';
    });
    const c = captureLog();
    try {
      await handler(
        { reportId: 'rep-7', periodId: '2026-Q3', executionArn: 'arn:aws:states:ap-southeast-1:1:execution:sm:rep-7' },
        { awsRequestId: 'req-1' },
      );
    } finally {
      c.restore();
    }
    const [line] = c.records();
    expect(line).toMatchObject({
      message: 'working',
      step: 1,
      service: 'baocao',
      reportId: 'rep-7',
      periodId: '2026-Q3',
      executionArn: 'arn:aws:states:ap-southeast-1:1:execution:sm:rep-7',
      requestId: 'req-1',
    });
  });

  it('drops the previous invocation keys on a warm container', async () => {
    powertools.setLogLevel('INFO');
    const handler = withLogContext(async (_event: unknown) => log.info('step'));
    const c = captureLog();
    try {
      await handler({ reportId: 'rep-1' }, { awsRequestId: 'a' });
      await handler({ periodId: '2026-Q4' }, { awsRequestId: 'b' });
    } finally {
      c.restore();
    }
    const [, second] = c.records();
    expect(second).toMatchObject({ periodId: '2026-Q4', requestId: 'b' });
    expect('reportId' in second).toBe(false);
  });

  it('reads the execution ARN of an EventBridge status change and ignores non-objects', () => {
    expect(correlationKeys({ detail: { executionArn: 'arn:x' } }).executionArn).toBe('arn:x');
    expect(correlationKeys('text')).toEqual({});
  });

  it('a pipeline handler logs with the report id of its input', async () => {
    powertools.setLogLevel('ERROR');
    const failing = withLogContext(
      makeHandler(() => {
        throw new Error('no deps');
      }),
    );
    await expect(failing({ reportId: 'rep-9', periodId: '2026-Q1' })).rejects.toThrow('no deps');
    const c = captureLog();
    try {
      log.error('after');
    } finally {
      c.restore();
    }
    expect(c.records()[0]).toMatchObject({ reportId: 'rep-9', periodId: '2026-Q1' });
  });
});

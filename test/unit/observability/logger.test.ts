import { afterEach, describe, expect, it } from 'vitest';
import { log, powertools } from '../../../shared/observability/logger';
import { captureLog } from '../../support/capture-log';

describe('shared/observability/logger', () => {
  afterEach(() => {
    log.resetKeys();
    powertools.setLogLevel('ERROR');
  });

  it('writes JSON lines with the message, the fields and the appended correlation keys', () => {
    powertools.setLogLevel('INFO');
    const c = captureLog();
    try {
      log.appendKeys({ reportId: 'r-1', executionArn: 'arn:aws:states:x:1:execution:sm:r-1', divisionId: undefined });
      log.info('draft built', { version: 2 });
      log.error('mail failed', { to: 2 });
    } finally {
      c.restore();
    }
    const [info, error] = c.records();
    expect(info).toMatchObject({ level: 'INFO', message: 'draft built', version: 2, reportId: 'r-1', service: 'baocao' });
    expect(info.executionArn).toBe('arn:aws:states:x:1:execution:sm:r-1');
    expect('divisionId' in info).toBe(false);
    expect(error).toMatchObject({ level: 'ERROR', message: 'mail failed', reportId: 'r-1' });
  });

  it('drops lines below the level and forgets keys after resetKeys', () => {
    powertools.setLogLevel('WARN');
    const c = captureLog();
    try {
      log.appendKeys({ reportId: 'r-2' });
      log.info('not shown');
      log.resetKeys();
      log.warn('shown');
    } finally {
      c.restore();
    }
    const records = c.records();
    expect(records.map((r) => r.message)).toEqual(['shown']);
    expect('reportId' in records[0]).toBe(false);
  });
});

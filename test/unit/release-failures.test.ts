/**
 * Failures a user sees: transient AWS faults leave a pipeline task as TransientError (retried by
 * the state machine), and RecordFailure stores a Vietnamese sentence saying what to do next,
 * keeping the technical message apart. Also the numbering configuration's checks.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeRecordFailure } from '../../functions/record-failure';
import rawOrganization from '../../shared/config/organization.json' with { type: 'json' };
import { parseOrganization } from '../../shared/config/schema';
import { ValidationError } from '../../shared/errors';
import { failureText } from '../../shared/features/reports/failure-text';
import type { AuditEntry, ReportRecord } from '../../shared/ports';
import { TRANSIENT_ERROR_NAME, TransientError } from '../../shared/transient-errors';
import { retryTransient } from '../../shared/transient-handler';

const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('retryTransient', () => {
  it('turns a reset connection or throttling into TransientError, keeping the cause', async () => {
    for (const make of [reset, throttled]) {
      const original = make();
      const err = await retryTransient(async () => {
        throw original;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientError);
      expect((err as Error).name).toBe(TRANSIENT_ERROR_NAME);
      expect((err as Error).cause).toBe(original);
    }
  });

  it('lets other errors and results through unchanged', async () => {
    const conflict = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    await expect(
      retryTransient(async () => {
        throw conflict;
      })(),
    ).rejects.toBe(conflict);
    const invalid = new ValidationError('Thiếu số liệu.');
    await expect(
      retryTransient(async () => {
        throw invalid;
      })(),
    ).rejects.toBe(invalid);
    expect(await retryTransient(async (x: number) => x + 1)(1)).toBe(2);
  });
});

describe('failureText', () => {
  it('keeps the Vietnamese message of our own errors', () => {
    expect(failureText('ValidationError', 'Báo cáo 2021-r1 chưa có số liệu tổng hợp.')).toEqual({
      cause: 'Báo cáo 2021-r1 chưa có số liệu tổng hợp.',
    });
  });

  it('replaces English service and state-machine messages with what happened and what to do, keeping the detail', () => {
    const t = failureText('TransientError', 'Dịch vụ tạm thời không phản hồi (ECONNRESET: socket hang up)');
    expect(t.cause).toMatch(/tạm thời không phản hồi.*tổng hợp lại báo cáo sau ít phút/);
    const raw = failureText('ServiceUnavailable', 'Service Unavailable: please retry');
    expect(raw.cause).toMatch(/^Hệ thống gặp lỗi không mong muốn.*quản trị hệ thống\.$/);
    expect(raw.detail).toBe('ServiceUnavailable: Service Unavailable: please retry');
    expect(failureText('Lambda.Unknown', 'Task timed out after 30.00 seconds').cause).toMatch(/Một bước xử lý báo cáo bị lỗi/);
    expect(failureText('NumberTimedOut', '').cause).toMatch(/Văn thư chưa cấp số/);
  });

  it('is what RecordFailure stores on the report and in its audit trail', async () => {
    let stored: Partial<ReportRecord> = {};
    const audit: AuditEntry[] = [];
    const handler = makeRecordFailure(() => ({
      repo: {
        getReport: async () => undefined,
        unlockActiveReport: async () => undefined,
        updateReport: async (_id: string, patch: Partial<ReportRecord>) => ((stored = patch), patch as ReportRecord),
        appendReportAudit: async (_id: string, e: AuditEntry) => void audit.push(e),
        appendPeriodAudit: async () => undefined,
        listReportAudit: async () => [],
        listPeriodAudit: async () => [],
      },
      now: () => new Date('2021-12-16T03:00:00Z'),
      organization: { id: 'org' },
      template: { id: 'cchc' },
    }));
    const cause = JSON.stringify({ errorType: 'NoSuchBucket', errorMessage: 'The specified bucket does not exist' });
    await handler({ reportId: 'r1', periodId: '2021', error: { Error: 'NoSuchBucket', Cause: cause } });
    expect(stored.status).toBe('failed');
    expect(stored.failure?.cause).toMatch(/^Hệ thống gặp lỗi không mong muốn/);
    expect(stored.failure?.detail).toContain('The specified bucket does not exist');
    expect(audit[0].detail).toMatchObject({ error: 'NoSuchBucket', cause: stored.failure?.cause });
  });
});

describe('numbering configuration', () => {
  it('defaults to automatic numbering and accepts a next number for a year', () => {
    const { numbering: _n, ...rest } = rawOrganization as Record<string, unknown>;
    expect(parseOrganization(rest).numbering).toEqual({ mode: 'auto' });
    const org = parseOrganization({ ...rest, numbering: { mode: 'auto', nextNumber: { year: 2021, number: 2015 } } });
    expect(org.numbering.nextNumber).toEqual({ year: 2021, number: 2015 });
  });

  it('asks for the clerk of records in clerk mode, in Vietnamese naming the field', () => {
    const { recordsClerk: _c, ...rest } = rawOrganization as Record<string, unknown>;
    expect(() => parseOrganization({ ...rest, numbering: { mode: 'clerk' } })).toThrow(/Văn thư \(recordsClerk\)/);
    expect(() => parseOrganization({ ...rest, numbering: { mode: 'manual' } })).toThrow(/Chế độ cấp số/);
    expect(() => parseOrganization({ ...rest, numbering: { mode: 'auto', nextNumber: { year: 2021, number: 0 } } })).toThrow(
      /Số văn bản tiếp theo/,
    );
  });
});

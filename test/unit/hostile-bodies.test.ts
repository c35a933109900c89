/** Issue 14: oversized bodies answer 413 and malformed JSON on /api answers 400, both in Vietnamese, changing nothing. */

import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { bodyBytes, MAX_API_BODY_BYTES } from '../../shared/http/request-guard';
import { parseJsonBody } from '../../shared/http/router';
import { ddb, deps, httpEvent } from './handlers-harness';

const nothingWritten = () => {
  expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
};

describe('oversized request bodies', () => {
  it('counts base64 bodies as the bytes they decode to', () => {
    const raw = Buffer.alloc(1000, 7);
    expect(bodyBytes(raw.toString('base64'), true)).toBe(1000);
    expect(bodyBytes('ă', false)).toBe(2);
    expect(bodyBytes(undefined)).toBe(0);
  });

  it('answers 413 in Vietnamese JSON on /api before the route reads the body', async () => {
    const big = JSON.stringify({ by: 'x'.repeat(MAX_API_BODY_BYTES) });
    const res = await makeApi(deps)(httpEvent('POST', '/api/periods/2021-Q1/open', big));
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body ?? '')).toEqual({ message: expect.stringContaining('quá lớn (tối đa 256 KB)') });
    nothingWritten();
  });

  it('answers 413 as a Vietnamese page on a public form, also for a base64 body', async () => {
    const big = Buffer.alloc(MAX_API_BODY_BYTES + 1, 0x61).toString('base64');
    const res = await makeApi(deps)({ ...httpEvent('POST', '/signin', big), isBase64Encoded: true });
    expect(res.statusCode).toBe(413);
    expect(res.headers?.['content-type']).toContain('text/html');
    expect(res.body).toContain('Nội dung gửi lên quá lớn');
    nothingWritten();
  });

  it('lets a body just under the limit through to the route', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(MAX_API_BODY_BYTES - 20) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_API_BODY_BYTES);
    const res = await makeApi(deps)(httpEvent('POST', '/api/reports', body));
    expect(res.statusCode).not.toBe(413);
  });
});

describe('malformed JSON on /api', () => {
  it.each([
    ['{"by": "a",}', 'không phải JSON hợp lệ'],
    ['{by: 1}', 'không phải JSON hợp lệ'],
    ['[1, 2]', 'phải là một đối tượng'],
    ['"chuỗi"', 'phải là một đối tượng'],
    ['null', 'phải là một đối tượng'],
  ])('%s answers 400 naming the problem, changing nothing', async (text, expected) => {
    const res = await makeApi(deps)(httpEvent('POST', '/api/periods/2021-Q1/open', text));
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toContain('application/json');
    expect(JSON.parse(res.body ?? '').message).toContain(expected);
    nothingWritten();
  });

  it('names where the syntax breaks, accepts a BOM and treats an empty body as {}', () => {
    expect(() => parseJsonBody('{"a": 1,,}')).toThrow(/lỗi ở ký tự thứ \d+/);
    expect(parseJsonBody('\uFEFF{"a": 1}')).toEqual({ a: 1 });
    expect(parseJsonBody('  ')).toEqual({});
  });

  it('keeps an own "__proto__" key as data, never as the prototype', () => {
    const parsed = parseJsonBody('{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

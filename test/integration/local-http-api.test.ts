import { afterEach, describe, expect, it } from 'vitest';
import { type HttpApiEventV2, type LocalHttpApi, startHttpApi } from '../../infra/local/http-api';
import type { Inbox, Message } from '../../infra/local/mail-catcher';

describe('local HTTP API (payload v2)', () => {
  let api: LocalHttpApi | undefined;
  let events: HttpApiEventV2[];
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  const startWith = async (result: unknown, inbox?: Inbox) => {
    events = [];
    api = await startHttpApi({
      port: 0,
      inbox,
      executions: () => [],
      resolveHandler: () => async (event: HttpApiEventV2) => {
        events.push(event);
        return result;
      },
    });
    return api;
  };

  it('turns a GET with a query string into a v2 event and writes back status, headers, cookies, body', async () => {
    const { url } = await startWith({
      statusCode: 302,
      headers: { Location: '/bang-dieu-khien', 'Content-Type': 'text/plain; charset=utf-8' },
      cookies: ['sid=abc; HttpOnly; Path=/', 'lang=vi; Path=/'],
      body: 'Đang chuyển hướng',
    });

    const res = await fetch(`${url}/ky-bao-cao/2021?q=b%C3%A1o%20c%C3%A1o&tag=a&tag=b`, {
      headers: { cookie: 'sid=old; x=1', 'X-Custom': 'mot' },
      redirect: 'manual',
    });

    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/bang-dieu-khien');
    expect(res.headers.getSetCookie()).toEqual(['sid=abc; HttpOnly; Path=/', 'lang=vi; Path=/']);
    expect(await res.text()).toBe('Đang chuyển hướng');
    const e = events[0];
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/ky-bao-cao/2021',
      rawQueryString: 'q=b%C3%A1o%20c%C3%A1o&tag=a&tag=b',
      queryStringParameters: { q: 'báo cáo', tag: 'a,b' },
      cookies: ['sid=old', 'x=1'],
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/ky-bao-cao/2021', sourceIp: '127.0.0.1' }, stage: '$default', routeKey: '$default' },
    });
    expect(e.headers['x-custom']).toBe('mot');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.body).toBeUndefined();
    expect(e.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes a form POST body as text and a binary body as base64', async () => {
    const { url } = await startWith({
      statusCode: 200,
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });

    const form = await fetch(`${url}/quyet-dinh`, {
      method: 'POST',
      body: new URLSearchParams({ decision: 'approve', comment: 'Đồng ý' }),
    });
    const binary = await fetch(`${url}/tai-len`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([9, 8, 7]),
    });

    expect(Buffer.from(await form.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    await binary.arrayBuffer();
    expect(events[0]).toMatchObject({
      body: 'decision=approve&comment=%C4%90%E1%BB%93ng+%C3%BD',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' } },
    });
    expect(events[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(events[1]).toMatchObject({ body: Buffer.from([9, 8, 7]).toString('base64'), isBase64Encoded: true });
  });

  it('answers a bare handler result as 200 JSON and a throwing handler as 500', async () => {
    const { url } = await startWith({ ok: true });
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true });
    await api!.stop();

    api = await startHttpApi({
      resolveHandler: () => async () => {
        throw new Error('boom');
      },
    });
    const failed = await fetch(`${api.url}/`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'Lỗi hệ thống; vui lòng thử lại sau.' });
  });

  it('stops keeping a body at the limit and answers 413 in Vietnamese instead of resetting the connection', async () => {
    let calls = 0;
    api = await startHttpApi({
      maxBodyBytes: 1024,
      resolveHandler: () => async () => {
        calls++;
        return { statusCode: 200 };
      },
    });
    const post = (body: BodyInit) => fetch(`${api!.url}/api/x`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const declared = await post('x'.repeat(4 * 1024 * 1024));
    expect(declared.status).toBe(413);
    expect((await declared.json()).message).toContain('quá lớn (tối đa 1 KB)');
    // Chunked, no Content-Length: refused once the running total passes the limit.
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 64; i++) c.enqueue(new Uint8Array(512).fill(0x61));
        c.close();
      },
    });
    const streamed = await fetch(`${api.url}/api/x`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(calls).toBe(0);
    expect((await post('{"a":1}')).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('serves /_local/ pages itself, newest email first, without calling the handler', async () => {
    const messages: Message[] = [
      {
        id: '1',
        receivedAt: '2025-01-05T01:00:00Z',
        from: 'a@x.example',
        to: ['b@x.example'],
        subject: 'Thư cũ',
        text: 'xem http://127.0.0.1/a',
        html: '',
      },
      {
        id: '2',
        receivedAt: '2025-01-05T02:00:00Z',
        from: 'a@x.example',
        to: ['c@x.example'],
        subject: 'Thư <mới>',
        text: 't',
        html: '<p onclick="x">Chào</p>',
      },
    ];
    const inbox: Inbox = { list: () => messages, get: (id) => messages.find((m) => m.id === id), waitFor: async () => messages[0] };
    const { url } = await startWith({ statusCode: 200 }, inbox);

    const page = await (await fetch(`${url}/_local/inbox`)).text();
    const json = await (await fetch(`${url}/_local/inbox.json`)).json();
    const executions = await (await fetch(`${url}/_local/executions.json`)).json();

    expect(page).toContain('Hộp thư cục bộ');
    expect(page.indexOf('Thư &lt;mới&gt;')).toBeGreaterThan(-1);
    expect(page.indexOf('Thư &lt;mới&gt;')).toBeLessThan(page.indexOf('Thư cũ'));
    expect(page).toContain('<a href="http://127.0.0.1/a"');
    expect(page).toMatch(/<iframe sandbox="[^"]*" srcdoc="&lt;p onclick=&quot;x&quot;&gt;Chào&lt;\/p&gt;"/);
    expect(json.map((m: Message) => m.id)).toEqual(['2', '1']);
    expect(executions).toEqual([]);
    expect(events).toHaveLength(0);
  });
});

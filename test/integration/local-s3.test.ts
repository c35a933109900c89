import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import {
  buildS3EventBridgeEvent,
  type LocalS3,
  objectKeyMatcherFromTemplate,
  type S3EventBridgeEvent,
  startLocalS3,
} from '../../infra/local/s3';

const client = (url: string, credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS) =>
  new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: LOCAL_REGION,
    credentials,
  });

/** A raw request, the path sent byte for byte (fetch would normalize "../"). */
function raw(url: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const code = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

/** Every file under a folder, relative. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('local S3 (s3rver)', () => {
  let s3: LocalS3 | undefined;
  afterEach(async () => {
    await s3?.stop();
    s3 = undefined;
  });

  it('delivers one EventBridge event with the raw key for a presigned POST under raw/', async () => {
    const events: S3EventBridgeEvent[] = [];
    s3 = await startLocalS3({
      bucket: 'baocao-local',
      keyMatches: (k) => k.startsWith('raw/'),
      onObjectCreated: (e) => {
        events.push(e);
      },
    });
    const c = client(s3.url);
    const key = 'raw/2025-Q1/VP/báo cáo quý+1 100%.xlsx';
    const post = await createPresignedPost(c, {
      Bucket: 'baocao-local',
      Key: key,
      Expires: 300,
      Conditions: [['content-length-range', 1, 1024]],
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', new Blob(['số liệu']), 'bao-cao.xlsx');

    const res = await fetch(post.url, { method: 'POST', body: form });
    await s3.idle();

    expect(res.status).toBe(204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      region: LOCAL_REGION,
      resources: ['arn:aws:s3:::baocao-local'],
      detail: { bucket: { name: 'baocao-local' }, object: { key, size: Buffer.byteLength('số liệu') }, reason: 'PostObject' },
    });
    c.destroy();
  });

  it('ignores keys outside the rule and survives a failing hook', async () => {
    const seen: string[] = [];
    const logs: string[] = [];
    s3 = await startLocalS3({
      bucket: 'baocao-local',
      keyMatches: (k) => k.startsWith('raw/'),
      log: (l) => logs.push(l),
      onObjectCreated: (e) => {
        seen.push(e.detail.object.key);
        throw new Error('ingest exploded');
      },
    });
    const c = client(s3.url);
    await c.send(new PutObjectCommand({ Bucket: 'baocao-local', Key: 'drafts/x.docx', Body: 'a' }));
    await c.send(new PutObjectCommand({ Bucket: 'baocao-local', Key: 'raw/y.xlsx', Body: 'b' }));
    await s3.idle();

    expect(seen).toEqual(['raw/y.xlsx']);
    expect(logs.join('\n')).toContain('ingest exploded');
    const got = await c.send(new GetObjectCommand({ Bucket: 'baocao-local', Key: 'drafts/x.docx' }));
    expect(await got.Body!.transformToString()).toBe('a');
    c.destroy();
  });

  it('allows a browser page on another origin to POST (CORS)', async () => {
    s3 = await startLocalS3({ bucket: 'baocao-local' });
    const res = await fetch(`${s3.url}/baocao-local`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:3000)$/);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('builds the event AWS sends from an s3rver PUT record', () => {
    const event = buildS3EventBridgeEvent(
      {
        eventName: 'ObjectCreated:Put',
        eventTime: '2025-01-05T03:04:05.678Z',
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'REQ1' },
        s3: { bucket: { name: 'b' }, object: { key: 'raw/a b.xlsx', size: 12, eTag: 'abc', sequencer: '0A' } },
      },
      { id: 'id-1', account: '111122223333' },
    );
    expect(event).toEqual({
      version: '0',
      id: 'id-1',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '111122223333',
      time: '2025-01-05T03:04:05Z',
      region: LOCAL_REGION,
      resources: ['arn:aws:s3:::b'],
      detail: {
        version: '0',
        bucket: { name: 'b' },
        object: { key: 'raw/a b.xlsx', size: 12, etag: 'abc', sequencer: '0A' },
        'request-id': 'REQ1',
        requester: '111122223333',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
  });

  it('reads the key filter from the synthesized-style EventBridge rule', () => {
    const matches = objectKeyMatcherFromTemplate({
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: { EventPattern: { source: ['aws.s3'], detail: { object: { key: [{ prefix: 'raw/' }] } } } },
        },
      },
    });
    expect(matches('raw/x.xlsx')).toBe(true);
    expect(matches('drafts/x.docx')).toBe(false);
  });
});

describe('local S3 refuses what S3 refuses', () => {
  let s3: LocalS3 | undefined;
  let home: string | undefined;
  let clock = () => new Date();
  const BUCKET = 'baocao-local';
  /** The emulator on a folder inside a fresh temp folder, so "outside" is a place the test can look at. */
  async function start() {
    home = mkdtempSync(join(tmpdir(), 'baocao-s3-gate-'));
    s3 = await startLocalS3({ bucket: BUCKET, directory: join(home, 's3'), now: () => clock() });
    return s3;
  }
  afterEach(async () => {
    await s3?.stop();
    s3 = undefined;
    clock = () => new Date();
    if (home) rmSync(home, { recursive: true, force: true });
    home = undefined;
  });

  it('serves the real SDK signed with the local credentials: put, head, get, list, copy, delete', async () => {
    const c = client((await start()).url);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'released/cchc/2021/Báo cáo số 1+2 100%.docx', Body: 'văn bản' }));
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'released/cchc/2021/b.docx', Body: 'văn bản' }));
    const head = await c.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'released/cchc/2021/Báo cáo số 1+2 100%.docx' }));
    expect(head.ContentLength).toBe(Buffer.byteLength('văn bản'));
    await c.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'copy/x.docx',
        CopySource: `${BUCKET}/released/cchc/2021/b.docx`,
      }),
    );
    const got = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy/x.docx' }));
    expect(await got.Body!.transformToString()).toBe('văn bản');
    const list = await c.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'released/' }));
    expect(list.Contents?.map((o) => o.Key)).toEqual(['released/cchc/2021/Báo cáo số 1+2 100%.docx', 'released/cchc/2021/b.docx']);
    await c.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'copy/x.docx' }));
    // A presigned GET (the download link's redirect) works without any other credential.
    const url = await getSignedUrl(
      c,
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'released/cchc/2021/Báo cáo số 1+2 100%.docx',
        ResponseContentDisposition: 'attachment; filename="bc.docx"',
      }),
      { expiresIn: 60 },
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('văn bản');
    c.destroy();
  });

  it('refuses anonymous reads, lists and writes (released reports included) with 403, storing nothing', async () => {
    const s = await start();
    const c = client(s.url);
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'released/cchc/2021/bc.docx', Body: 'bí mật' }));
    for (const [method, path] of [
      ['GET', `/${BUCKET}/released/cchc/2021/bc.docx`],
      ['HEAD', `/${BUCKET}/released/cchc/2021/bc.docx`],
      ['GET', `/${BUCKET}?list-type=2`],
      ['GET', `/${BUCKET}`],
      ['GET', '/'],
      ['PUT', `/${BUCKET}/released/cchc/2021/bc.docx`],
      ['PUT', `/${BUCKET}/raw/2021-Q1/VP/x.json`],
      ['DELETE', `/${BUCKET}/released/cchc/2021/bc.docx`],
    ] as const) {
      const res = await raw(s.url, method, path, method === 'PUT' ? 'ghi đè' : undefined);
      expect(res.status, `${method} ${path}`).toBe(403);
      if (method !== 'HEAD') expect(code(res.text), `${method} ${path}`).toBe('AccessDenied');
    }
    const still = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'released/cchc/2021/bc.docx' }));
    expect(await still.Body!.transformToString()).toBe('bí mật');
    await expect(c.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'raw/2021-Q1/VP/x.json' }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    c.destroy();
  });

  it('refuses a wrong secret, an unknown key id, a tampered or expired presigned URL', async () => {
    const s = await start();
    const good = client(s.url);
    await good.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'drafts/a.docx', Body: 'a' }));
    await good.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'drafts/b.docx', Body: 'b' }));
    const wrong = client(s.url, { accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'doan-mo' });
    await expect(wrong.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'drafts/a.docx' }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    const stranger = client(s.url, { accessKeyId: 'AKIAOTHER', secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey });
    await expect(stranger.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'drafts/a.docx', Body: 'x' }))).rejects.toMatchObject({
      name: 'InvalidAccessKeyId',
    });

    const url = await getSignedUrl(good, new GetObjectCommand({ Bucket: BUCKET, Key: 'drafts/a.docx' }), { expiresIn: 60 });
    const tampered = url.replace('/drafts/a.docx', '/drafts/b.docx');
    expect(tampered).not.toBe(url);
    const t = await fetch(tampered);
    expect([t.status, code(await t.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    clock = () => new Date(Date.now() + 61_000);
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('Request has expired');
    // A signed request from too far in the past (a replay) is refused too.
    clock = () => new Date(Date.now() + 16 * 60_000);
    await expect(good.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'drafts/a.docx' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    good.destroy();
  });

  it('enforces the presigned POST policy: key, content-length-range, Content-Type, expiry, signature, extra fields', async () => {
    const events: string[] = [];
    home = mkdtempSync(join(tmpdir(), 'baocao-s3-gate-'));
    s3 = await startLocalS3({
      bucket: BUCKET,
      directory: join(home, 's3'),
      now: () => clock(),
      onObjectCreated: (e) => void events.push(e.detail.object.key),
    });
    const c = client(s3.url);
    // The product's own policy (s3-blob-store.ts presignPost): exact key, exact Content-Type, 1 byte … 16 bytes.
    const mine = 'raw/cchc/2021-Q1/VP/u1.json';
    const post = await createPresignedPost(c, {
      Bucket: BUCKET,
      Key: mine,
      Conditions: [
        ['content-length-range', 1, 16],
        ['eq', '$Content-Type', 'application/json'],
        ['eq', '$key', mine],
      ],
      Fields: { 'Content-Type': 'application/json' },
      Expires: 300,
    });
    const send = async (change: Record<string, string | undefined>, file = '{"a":1}', extra: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...post.fields, ...change, ...extra })) if (v !== undefined) form.append(k, v);
      form.append('file', new Blob([file]), 'u1.json');
      const res = await fetch(post.url, { method: 'POST', body: form, headers: { origin: 'http://127.0.0.1:3000' } });
      return { status: res.status, code: code(await res.text()), cors: res.headers.get('access-control-allow-origin') };
    };
    // Another division's prefix, a prefix trick, the wrong type, too large, empty, a field the policy does not name.
    expect(await send({ key: 'raw/cchc/2021-Q1/TTRA/u1.json' })).toMatchObject({ status: 403, code: 'AccessDenied', cors: '*' });
    expect(await send({ key: `${mine}.extra` })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send({ 'Content-Type': 'text/html' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await send({}, 'x'.repeat(17))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(await send({}, '')).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(await send({}, '{"a":1}', { 'x-amz-meta-owner': 'TTRA' })).toMatchObject({ status: 403, code: 'AccessDenied' });
    // A policy rewritten to allow any key, keeping the old signature.
    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString('utf8'));
    policy.conditions = policy.conditions.map((x: unknown) => (Array.isArray(x) && x[1] === '$key' ? ['starts-with', '$key', 'raw/'] : x));
    const forged = Buffer.from(JSON.stringify(policy)).toString('base64');
    expect(await send({ Policy: forged, key: 'raw/cchc/2021-Q1/TTRA/u1.json' })).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(await send({ 'X-Amz-Signature': undefined })).toMatchObject({ status: 400 });
    clock = () => new Date(Date.now() + 301_000);
    expect(await send({})).toMatchObject({ status: 403, code: 'AccessDenied' });
    clock = () => new Date();
    await s3.idle();
    expect(events).toEqual([]);
    // The policy as issued still works.
    expect(await send({})).toMatchObject({ status: 204 });
    await s3.idle();
    expect(events).toEqual([mine]);

    // starts-with: a key under the division's prefix passes, another division's is refused.
    const prefixed = await createPresignedPost(c, {
      Bucket: BUCKET,
      Key: 'raw/cchc/2021-Q1/VP/${filename}',
      Conditions: [['starts-with', '$key', 'raw/cchc/2021-Q1/VP/']],
      Expires: 60,
    });
    const up = async (key: string) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...prefixed.fields, key })) form.append(k, v);
      form.append('file', new Blob(['x']), 'f.json');
      return (await fetch(prefixed.url, { method: 'POST', body: form })).status;
    };
    expect(await up('raw/cchc/2021-Q1/VP/a.json')).toBe(204);
    expect(await up('raw/cchc/2021-Q1/TTRA/a.json')).toBe(403);
    c.destroy();
  });

  it('never resolves a key outside its folder: ../, encoded variants, absolute paths, a form key, a copy source', async () => {
    const s = await start();
    const c = client(s.url);
    const outside = join(home!, 'escaped.txt');
    for (const key of [
      '../escaped.txt',
      '../../escaped.txt',
      'a/../../../escaped.txt',
      '%2e%2e/escaped.txt',
      '..%2fescaped.txt',
      '%2E%2E%2F%2E%2E%2Fescaped.txt',
      './x',
    ]) {
      // Signed with the local credentials, byte for byte as sent: only the path is wrong.
      const path = `/${BUCKET}/${key}`;
      const signed = await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: decodeURIComponent(key), Body: 'x' })).then(
        () => 200,
        (e) => e.$metadata?.httpStatusCode,
      );
      expect(signed, key).toBe(400);
      const anon = await raw(s.url, 'PUT', path, 'x');
      expect(anon.status, path).toBeGreaterThanOrEqual(400);
      expect(anon.status, path).toBeLessThan(500);
    }
    for (const path of ['/%2e%2e/escaped.txt', '/..%2f..%2fescaped/x', '/%00/x'])
      expect((await raw(s.url, 'PUT', path, 'x')).status, path).toBe(400);
    // An absolute path as key: S3 would store it as a key; the emulator (whose router cannot serve it) refuses it in XML.
    await expect(c.send(new PutObjectCommand({ Bucket: BUCKET, Key: `/${join(home!, 'abs.txt')}`, Body: 'x' }))).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    expect(existsSync(join(home!, 'abs.txt'))).toBe(false);
    // A form whose (validly signed) policy allows "../": the gate still refuses the key.
    const post = await createPresignedPost(c, { Bucket: BUCKET, Key: '../../escaped.txt', Expires: 60 });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', new Blob(['x']), 'f');
    expect((await fetch(post.url, { method: 'POST', body: form })).status).toBe(400);
    await expect(
      c.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'ok.txt', CopySource: `${BUCKET}/../../escaped.txt` })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
    expect(existsSync(outside)).toBe(false);
    expect(filesUnder(home!).every((f) => f.startsWith('s3/'))).toBe(true);
    c.destroy();
  });
});

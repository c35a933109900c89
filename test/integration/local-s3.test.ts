import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/aws-identity';
import {
  buildS3EventBridgeEvent,
  type LocalS3,
  objectKeyMatcherFromTemplate,
  type S3EventBridgeEvent,
  startLocalS3,
} from '../../infra/local/s3';

const client = (url: string) =>
  new S3Client({
    endpoint: url,
    forcePathStyle: true,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });

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

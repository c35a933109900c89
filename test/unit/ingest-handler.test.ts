import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeHandler as makeIngest } from '../../functions/ingest';
import { body, ddb, deps, pk, s3, s3Event, submissionWrites } from './handlers-harness';

describe('ingest handler', () => {
  it('refuses a file that is not JSON and leaves the current submission untouched', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 12, ContentType: 'application/json', ETag: '"e1"' });
    s3.on(GetObjectCommand).resolves({ Body: body('{"broken": ') } as never);
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/20211216-030000-abcd.json'));
    expect(res.status).toBe('refused');
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put.Item).toMatchObject({ pk: pk('RAW', 'raw/2021-Q1/VP/20211216-030000-abcd.json'), status: 'refused' });
    expect(JSON.stringify(put.Item?.errors)).toContain('JSON');
    expect(submissionWrites()).toHaveLength(0);
  });

  it('refuses an object larger than the POST policy allows (the emulator does not enforce it)', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 5 * 1024 * 1024, ContentType: 'application/json', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(submissionWrites()).toHaveLength(0);
  });

  it('refuses a content type other than JSON', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'text/html', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(JSON.stringify(ddb.commandCalls(PutCommand)[0].args[0].input.Item)).toContain('text/html');
  });

  it('refuses a key outside any known division prefix', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'application/json', ETag: '"e1"' });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/NOPE/x.json'));
    expect(res.status).toBe('refused');
    expect(JSON.stringify(ddb.commandCalls(PutCommand)[0].args[0].input.Item)).toContain('NOPE');
  });

  it('refuses a file whose division differs from its upload prefix', async () => {
    const d = deps();
    const file = JSON.stringify({
      schemaVersion: 1,
      templateId: 'cchc',
      division: 'TTRA',
      period: '2021-Q1',
      indicators: {},
      tables: {},
      narratives: {},
    });
    s3.on(HeadObjectCommand).resolves({ ContentLength: file.length, ContentType: 'application/json', ETag: '"e1"' });
    s3.on(GetObjectCommand).resolves({ Body: body(file) } as never);
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res.status).toBe('refused');
    expect(submissionWrites()).toHaveLength(0);
  });

  it('returns the recorded outcome when the same object is delivered twice', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'application/json', ETag: '"e1"' });
    // The claim is a conditional write: it fails for an upload that already has its outcome.
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {} }));
    ddb.on(GetCommand).resolves({
      Item: {
        pk: pk('RAW', 'k'),
        sk: 'UPLOAD',
        key: 'raw/2021-Q1/VP/x.json',
        etag: 'e1',
        status: 'accepted',
        errors: [],
        warnings: [],
        version: 3,
      },
    });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res).toMatchObject({ status: 'accepted', version: 3 });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers "processing" without touching anything while another attempt holds the claim', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).resolves({ ContentLength: 10, ContentType: 'application/json', ETag: '"e1"' });
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {} }));
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'RAW#k',
        sk: 'UPLOAD',
        key: 'raw/2021-Q1/VP/x.json',
        etag: 'e1',
        status: 'processing',
        leaseUntil: '2099-01-01T00:00:00Z',
      },
    });
    const res = await makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'));
    expect(res).toMatchObject({ status: 'processing' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('throws a transient S3 fault as TransientError so the event is retried', async () => {
    const d = deps();
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(makeIngest(() => d)(s3Event('raw/2021-Q1/VP/x.json'))).rejects.toMatchObject({ name: 'TransientError' });
  });
});

import { readFileSync } from 'node:fs';
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/send-invites';
import { FUNCTION_PROFILES, HANDLER_NAMES } from '../../infra/constructs/functions';
import { S3BlobStore } from '../../shared/adapters/aws/s3-blob-store';
import { SqsInviteQueue } from '../../shared/adapters/aws/sqs-invite-queue';
import { tracingEnabled } from '../../shared/adapters/tracing';
import { organization } from '../../shared/config';
import type { InviteJob } from '../../shared/features/intake/fanout';
import type { IntakeDeps } from '../../shared/features/intake/service';
import type { MailMessage } from '../../shared/ports';
import { getTemplate } from '../../shared/templates';

const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);

const job = (divisionId: string, reason: 'open' | 'remind' = 'open'): InviteJob => ({
  orgId: organization.id,
  reportType: 'cchc',
  periodId: '2021-Q1',
  divisionId,
  reason,
  expiresAt: '2021-03-25T16:59:59.000Z',
  issuedBy: 'scheduler',
});

describe('SqsInviteQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends one message per job, ten to a batch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = Array.from({ length: 23 }, (_, i) => job(`D${i}`));
    await new SqsInviteQueue('https://sqs.example/1/invites', new SQSClient({})).enqueue(jobs);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0].args[0].input.QueueUrl).toBe('https://sqs.example/1/invites');
    expect(calls.flatMap((c) => c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody!).divisionId)).toEqual(
      jobs.map((j) => j.divisionId),
    );
  });

  it('sends again the entries SQS could not take, and only those', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });
    await new SqsInviteQueue('q', new SQSClient({})).enqueue([job('VP'), job('TTRA')]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1].args[0].input.Entries?.map((e) => JSON.parse(e.MessageBody!).divisionId)).toEqual(['TTRA']);
  });

  it('fails the run on a sender fault, or when entries keep failing', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true }] });
    await expect(new SqsInviteQueue('q', new SQSClient({})).enqueue([job('VP')])).rejects.toThrow(/InvalidMessageContents/);
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'ServiceUnavailable', SenderFault: false }] });
    await expect(new SqsInviteQueue('q', new SQSClient({})).enqueue([job('VP')])).rejects.toThrow(/ServiceUnavailable/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('says which variable is missing when the queue is not configured', async () => {
    await expect(new SqsInviteQueue(undefined, new SQSClient({})).enqueue([job('VP')])).rejects.toThrow(/INVITE_QUEUE_URL/);
  });
});

/** Powertools' persistence contract in memory: a put fails on a live record, like the table's conditional put. */
class MemoryPersistence extends BasePersistenceLayer {
  records = new Map<string, IdempotencyRecord>();
  protected async _getRecord(key: string) {
    const r = this.records.get(key);
    if (!r) throw new IdempotencyItemNotFoundError();
    return r;
  }
  protected async _putRecord(record: IdempotencyRecord) {
    const old = this.records.get(record.idempotencyKey);
    if (old && !old.isExpired()) throw new IdempotencyItemAlreadyExistsError('exists', old);
    this.records.set(record.idempotencyKey, record);
  }
  protected async _updateRecord(record: IdempotencyRecord) {
    this.records.set(record.idempotencyKey, record);
  }
  protected async _deleteRecord(record: IdempotencyRecord) {
    this.records.delete(record.idempotencyKey);
  }
}

describe('send-invites consumer', () => {
  let mails: MailMessage[];
  let persistence: MemoryPersistence;
  let failFor: string | undefined;
  const deps = () =>
    ({
      organization,
      template: getTemplate('cchc'),
      now: () => new Date('2021-03-01T02:00:00Z'),
      baseUrl: 'https://baocao.example',
      mailer: {
        send: async (m: MailMessage) => {
          if (failFor && m.to.some((t) => t.startsWith(failFor!))) throw new Error('SES MessageRejected');
          mails.push(m);
          return { messageId: String(mails.length) };
        },
      },
      intake: { putInvite: async () => {}, getState: async () => undefined, recordReminder: async () => {} },
      repo: { appendPeriodAudit: async () => {} },
    }) as unknown as IntakeDeps;
  const record = (id: string, body: unknown) => ({ messageId: id, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeEach(() => {
    mails = [];
    persistence = new MemoryPersistence();
    failFor = undefined;
  });

  it('mails each job and reports only the messages that failed', async () => {
    failFor = 'hung.tt';
    const handler = makeHandler({ deps: async () => deps(), persistence: () => persistence });
    const res = await handler({
      Records: [record('m1', job('VP')), record('m2', job('TTRA')), record('m3', 'not json'), record('m4', { divisionId: 'VP' })],
    });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }, { itemIdentifier: 'm4' }]);
    expect(mails.map((m) => m.to)).toEqual([['khoa.vp@sct-dongnai.example']]);
  });

  it('never mails a job twice: a redelivered or repeated message finds the completed record', async () => {
    const handler = makeHandler({ deps: async () => deps(), persistence: () => persistence });
    await handler({ Records: [record('m1', job('VP'))] });
    const again = await handler({
      Records: [record('m1', job('VP')), record('m2', { ...job('VP'), expiresAt: '2021-04-01T00:00:00.000Z' })],
    });
    expect(again.batchItemFailures).toEqual([]);
    expect(mails).toHaveLength(1);
    // A reminder of the same division and quarter is another job.
    await handler({ Records: [record('m3', job('VP', 'remind'))] });
    expect(mails).toHaveLength(2);
  });

  it('lets a failed job run again on its next delivery (its record is removed)', async () => {
    failFor = 'khoa.vp';
    const handler = makeHandler({ deps: async () => deps(), persistence: () => persistence });
    expect((await handler({ Records: [record('m1', job('VP'))] })).batchItemFailures).toHaveLength(1);
    failFor = undefined;
    expect((await handler({ Records: [record('m1', job('VP'))] })).batchItemFailures).toEqual([]);
    expect(mails).toHaveLength(1);
  });

  it('paces the sends to MAIL_SEND_RATE recipients per second', async () => {
    const waits: number[] = [];
    const handler = makeHandler({
      deps: async () => deps(),
      persistence: () => persistence,
      sendRate: 2,
      sleep: async (ms) => void waits.push(ms),
    });
    await handler({ Records: ['VP', 'TTRA', 'KHTC'].map((d, i) => record(`m${i}`, job(d))) });
    expect(mails).toHaveLength(3);
    // One recipient each at 2 per second: about 500 ms before the second and the third send.
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThan(400);
  });

  it('refuses an event that is not an SQS batch', async () => {
    await expect(makeHandler({ deps: async () => deps(), persistence: () => persistence })({ action: 'open' })).rejects.toThrow();
  });
});

describe('released files in the archive bucket', () => {
  beforeEach(() => s3.reset());

  it('writes, reads and presigns released/ keys from the archive, everything else from the reports bucket', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const store = new S3BlobStore(
      'reports',
      new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
      { orgId: 'dongnai-sct', reportType: 'cchc' },
      'archive',
    );
    await store.put('released/2021/05-BC-SCT.docx', 'x', 'application/octet-stream');
    await store.put('drafts/r1/v1.docx', 'x', 'application/octet-stream');
    expect(s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Bucket, c.args[0].input.Key])).toEqual([
      ['archive', 'released/dongnai-sct/cchc/2021/05-BC-SCT.docx'],
      ['reports', 'drafts/dongnai-sct/cchc/r1/v1.docx'],
    ]);
    expect(await store.presignGet('released/2021/05-BC-SCT.docx', 60)).toMatch(/^https:\/\/archive\.s3\./);
    expect(await store.presignGet('drafts/r1/v1.docx', 60)).toMatch(/^https:\/\/reports\.s3\./);
    s3.on(GetObjectCommand).resolves({});
    await store.get('released/2021/05-BC-SCT.docx').catch(() => undefined);
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input.Bucket).toBe('archive');
  });

  it('keeps released/ in the reports bucket when no archive is configured', async () => {
    const store = new S3BlobStore(
      'reports',
      new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } }),
    );
    expect(store.bucketOf('released/2021/a.docx')).toBe('reports');
  });
});

describe('small bundles', () => {
  const source = (name: string) => readFileSync(new URL(`../../functions/${name}.ts`, import.meta.url), 'utf8');

  it('imports the mail adapter and the upload-form presigner in exactly the handlers allowed to mail and to take uploads', () => {
    for (const name of HANDLER_NAMES) {
      const imports = /import '\.\.\/shared\/adapters\/wiring-mail'/.test(source(name));
      expect(imports, name).toBe(Boolean(FUNCTION_PROFILES[name].sendsMail));
      const uploads = /import '\.\.\/shared\/adapters\/wiring-uploads'/.test(source(name));
      expect(uploads, name).toBe(Boolean(FUNCTION_PROFILES[name].write?.includes('raw')));
    }
  });

  it('imports the signing adapters (PDF renderer, PAdES) in exactly the handlers that render or sign PDFs', () => {
    for (const name of HANDLER_NAMES) {
      const imports = /import '\.\.\/shared\/adapters\/wiring-signing'/.test(source(name));
      expect(imports, name).toBe(Boolean(FUNCTION_PROFILES[name].rendersPdf));
    }
  });

  it('traces only on Lambda, never locally, in tests or when turned off', () => {
    expect(tracingEnabled({ AWS_LAMBDA_FUNCTION_NAME: 'f' })).toBe(true);
    expect(tracingEnabled({ AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(false);
    expect(tracingEnabled({ AWS_LAMBDA_FUNCTION_NAME: 'f', BAOCAO_LOCAL: '1' })).toBe(false);
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled()).toBe(false); // vitest
  });
});

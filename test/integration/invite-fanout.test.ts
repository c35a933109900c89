import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEPARTURES } from '../../infra/local/departures';
import { LOCAL_ARCHIVE_BUCKET, LOCAL_BUCKET, type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { importFunctionHandler, lambdaContext } from '../../infra/local/sfn';
import { organization } from '../../shared/config';
import { quarterOfDate } from '../../shared/domain/periods';

/**
 * The invite fan-out on the embedded system (docs/adr/0046-operable-on-aws.md): open-period
 * queues, the local SQS delivers to send-invites with the template's settings, Powertools
 * Idempotency on dynalite keeps every job to one mail. Also the local departures of
 * infra/local/departures.ts that concern the queue and the archive.
 */

let runtime: LocalRuntime;
// A quarter whose intake window is still open whenever the test runs.
const QUARTER = quarterOfDate(new Date(Date.now() + 100 * 86_400_000));
const invitesTo = (address: string) =>
  runtime.inbox.list().filter((m) => m.to.includes(address) && m.subject.includes(QUARTER.slice(0, 4)));

beforeAll(async () => {
  // Visibility timeouts (180 s in the template) divided by 600: a failed message returns in 0.3 s.
  runtime = await startLocalRuntime({ port: 0, timeScale: 600, resumeOnStart: false, reconcileIntervalMs: 0 });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

describe('invite fan-out', () => {
  it('takes batch size, concurrency, visibility and maxReceiveCount from the template', () => {
    const [q] = runtime.sqs.queues;
    expect(runtime.sqs.queues).toHaveLength(1);
    expect(q.spec).toMatchObject({
      consumer: 'send-invites',
      urlVariables: ['INVITE_QUEUE_URL'],
      batchSize: 10,
      maxConcurrency: 2,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      reportBatchItemFailures: true,
    });
    expect(runtime.env.INVITE_QUEUE_URL).toBe(q.url);
  });

  it('mails each division once when the quarter is opened twice', async () => {
    const openPeriod = await importFunctionHandler('open-period');
    const first = (await openPeriod({ action: 'open', period: QUARTER }, lambdaContext('open-period'))) as Array<{ queued: number }>;
    await runtime.idle();
    expect(first[0].queued).toBe(organization.divisions.length);
    // A scheduler retry or a second run: nothing new is queued for divisions holding a valid
    // invite, and the same jobs sent straight to the queue again are recognised as done.
    const second = (await openPeriod({ action: 'open', period: QUARTER }, lambdaContext('open-period'))) as Array<{ queued: number }>;
    expect(second[0].queued).toBe(0);
    const sqs = new SQSClient({});
    const replay = organization.divisions.map((d, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify({
        orgId: organization.id,
        reportType: 'cchc',
        periodId: QUARTER,
        divisionId: d.id,
        reason: 'open',
        expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        issuedBy: 'scheduler',
      }),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: runtime.env.INVITE_QUEUE_URL, Entries: replay.slice(0, 10) }));
    await runtime.idle();
    for (const d of organization.divisions) expect(invitesTo(d.contacts[0].email), d.id).toHaveLength(1);

    // The idempotency records are Powertools' on the single table, expiring through its ttl attribute.
    const ddb = new DynamoDBClient({});
    const records = await ddb.send(
      new QueryCommand({
        TableName: runtime.env.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'IDEMPOTENCY#send-invites' } },
      }),
    );
    expect(records.Items).toHaveLength(organization.divisions.length);
    for (const item of records.Items ?? []) {
      expect(item.status.S).toBe('COMPLETED');
      expect(Number(item.ttl.N)).toBeGreaterThan(Date.now() / 1000 + 100 * 86_400);
    }
    sqs.destroy();
    ddb.destroy();
  }, 60_000);

  it('reports a bad message alone, retries it after the visibility timeout and dead-letters it after maxReceiveCount', async () => {
    const [q] = runtime.sqs.queues;
    const sqs = new SQSClient({});
    const before = runtime.inbox.list().length;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.env.INVITE_QUEUE_URL,
        Entries: [
          { Id: 'bad', MessageBody: JSON.stringify({ orgId: organization.id, divisionId: 'VP' }) },
          {
            Id: 'good',
            MessageBody: JSON.stringify({
              orgId: organization.id,
              reportType: 'cchc',
              periodId: QUARTER,
              divisionId: 'VP',
              reason: 'remind',
              expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
              issuedBy: 'scheduler',
            }),
          },
        ],
      }),
    );
    await runtime.idle();
    const bad = sent.Successful!.find((s) => s.Id === 'bad')!.MessageId!;
    const good = sent.Successful!.find((s) => s.Id === 'good')!.MessageId!;
    expect(q.receives.filter((r) => r.messageId === bad).map((r) => r.receiveCount)).toEqual([1, 2, 3, 4, 5]);
    expect(q.receives.filter((r) => r.messageId === good)).toHaveLength(1);
    expect(q.deadLetters.map((m) => m.messageId)).toEqual([bad]);
    // The reminder was mailed once, though it shared its first batch with the failing message.
    expect(
      runtime.inbox
        .list()
        .slice(before)
        .filter((m) => m.to.includes('khoa.vp@sct-dongnai.example')),
    ).toHaveLength(1);
    const state = await new DynamoDBClient({}).send(
      new GetItemCommand({
        TableName: runtime.env.TABLE_NAME,
        Key: { pk: { S: `INTAKE#${organization.id}#cchc#${QUARTER}` }, sk: { S: 'DIV#VP' } },
      }),
    );
    expect(state.Item?.remindersSent?.N).toBe('1');
    sqs.destroy();
  }, 60_000);
});

describe('local departures', () => {
  it('lists each departure with what differs and why', () => {
    const ids = LOCAL_DEPARTURES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of LOCAL_DEPARTURES) expect(d.what.length * d.why.length, d.id).toBeGreaterThan(0);
  });

  it('archive-without-object-lock: released files go to the archive bucket, which accepts an overwrite locally', async () => {
    const { organizationDeps } = await import('../../shared/adapters/wiring');
    const deps = await organizationDeps(organization.id);
    const key = 'released/2026/05-BC-SCT.docx';
    await deps.blobs.put(key, Buffer.from('first'), 'application/octet-stream');
    const again = await deps.blobs.put(key, Buffer.from('second'), 'application/octet-stream');
    expect(again.etag).toBeTruthy(); // AWS would keep the first version locked; s3rver replaces it
    expect((await deps.blobs.get(key)).toString()).toBe('second');
    const s3 = new S3Client({ forcePathStyle: true });
    const scoped = `released/${organization.id}/cchc/2026/05-BC-SCT.docx`;
    await expect(s3.send(new HeadObjectCommand({ Bucket: LOCAL_ARCHIVE_BUCKET, Key: scoped }))).resolves.toBeTruthy();
    await expect(s3.send(new HeadObjectCommand({ Bucket: LOCAL_BUCKET, Key: scoped }))).rejects.toThrow();
    expect(await deps.blobs.presignGet(key, 60)).toContain(`/${LOCAL_ARCHIVE_BUCKET}/`);
    s3.destroy();
  });

  it('sqs-no-ses-pacing: the local consumer gets no MAIL_SEND_RATE', () => {
    expect(process.env.MAIL_SEND_RATE).toBeUndefined();
  });
});

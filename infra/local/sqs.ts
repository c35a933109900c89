/**
 * A small local SQS for the queues the synthesized template feeds to Lambda functions (the
 * invite fan-out, docs/adr/0046-operable-on-aws.md): an AWS JSON 1.0 endpoint for the unchanged
 * SDK (`SendMessage`, `SendMessageBatch`), and in-process delivery to the consumer handler with
 * the template's batch size, maximum concurrency, visibility timeout and maxReceiveCount, and
 * partial batch failures. Departures from AWS are listed in ./departures.ts.
 */

import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CfnTemplate } from '../cfn-template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './aws-identity';
import { closeServer, listen, urlOf } from './ports';
import type { LambdaHandler } from './sfn';

/** What the template says about one queue and the function it feeds. */
export interface LocalQueueSpec {
  /** Logical id of the AWS::SQS::Queue. */
  id: string;
  /** Environment variables of the functions that hold this queue's URL (`{ Ref: id }`). */
  urlVariables: string[];
  /** HANDLER_NAME of the consumer (the event source mapping's function). */
  consumer: string;
  batchSize: number;
  maxConcurrency: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount: number;
  reportBatchItemFailures: boolean;
}

type Resource = { Type: string; Properties?: Record<string, unknown> };
const refOf = (v: unknown) =>
  v && typeof v === 'object' ? ((v as { Ref?: string }).Ref ?? (v as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0]) : undefined;

/** Every queue with an SQS event source mapping whose URL a function is given (producer → consumer queues). */
export function queueSpecsFromTemplate(template: CfnTemplate): LocalQueueSpec[] {
  const resources = (template.Resources ?? {}) as Record<string, Resource>;
  const fnName = (id: string | undefined) =>
    ((resources[id ?? '']?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.HANDLER_NAME as
      | string
      | undefined) ?? '';
  const specs: LocalQueueSpec[] = [];
  for (const [, m] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping')) {
    const p = m.Properties ?? {};
    const id = refOf(p.EventSourceArn);
    const queue = id ? resources[id] : undefined;
    if (!id || queue?.Type !== 'AWS::SQS::Queue') continue;
    const urlVariables = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .flatMap((r) => Object.entries((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}))
      .filter(([, v]) => refOf(v) === id && (v as { Ref?: string }).Ref)
      .map(([k]) => k);
    if (urlVariables.length === 0) continue; // a dead-letter queue nobody sends to (the reconciler's)
    const q = queue.Properties ?? {};
    specs.push({
      id,
      urlVariables: [...new Set(urlVariables)],
      consumer: fnName(refOf(p.FunctionName)),
      batchSize: Number(p.BatchSize ?? 10),
      maxConcurrency: Number((p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 1000),
      visibilityTimeoutSeconds: Number(q.VisibilityTimeout ?? 30),
      maxReceiveCount: Number((q.RedrivePolicy as { maxReceiveCount?: number } | undefined)?.maxReceiveCount ?? Number.POSITIVE_INFINITY),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
    });
  }
  return specs;
}

interface Message {
  messageId: string;
  body: string;
  md5: string;
  sentAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  visibleAt: number;
}

export interface LocalQueue {
  spec: LocalQueueSpec;
  url: string;
  /** Messages waiting or in flight. */
  pending(): number;
  /** Messages that exhausted maxReceiveCount (the dead-letter queue's content). */
  deadLetters: Array<{ messageId: string; body: string; receiveCount: number }>;
  /** Every receive so far, in order: which message, which attempt. */
  receives: Array<{ messageId: string; receiveCount: number }>;
}

export interface LocalSqs {
  url: string;
  queues: LocalQueue[];
  /** The environment the handlers need: AWS_ENDPOINT_URL_SQS and each queue URL variable. */
  env: Record<string, string>;
  /** Resolves when every queue is empty and no delivery is in flight. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalSqsOptions {
  specs: readonly LocalQueueSpec[];
  resolveHandler: (name: string) => Promise<LambdaHandler>;
  /** A Lambda context for one invocation of the consumer. */
  context: (name: string) => unknown;
  /** Divides the visibility timeout (retries come sooner), like the runtime's time scale. */
  timeScale?: number;
  port?: number;
  log?: (line: string) => void;
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export async function startLocalSqs(opts: LocalSqsOptions): Promise<LocalSqs> {
  const scale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
  const log = opts.log ?? (() => undefined);
  const server = createServer((req, res) => void serve(req, res));
  const port = await listen(server, opts.port ?? 0);
  const url = urlOf(port);
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const waiters: Array<() => void> = [];

  const queues = opts.specs.map((spec) => {
    const messages: Message[] = [];
    let running = 0;
    let timer: NodeJS.Timeout | undefined;
    const q: LocalQueue & { messages: Message[]; pump(): void } = {
      spec,
      url: `${url}/${LOCAL_ACCOUNT}/${spec.id}`,
      pending: () => messages.length,
      deadLetters: [],
      receives: [],
      messages,
      pump() {
        if (stopped) return;
        clearTimeout(timer);
        const now = Date.now();
        while (running < spec.maxConcurrency) {
          const batch = messages.filter((m) => m.visibleAt <= now).slice(0, spec.batchSize);
          if (batch.length === 0) break;
          running++;
          const p = deliver(q, batch).finally(() => {
            running--;
            inFlight.delete(p);
            q.pump();
          });
          inFlight.add(p);
        }
        const next = Math.min(...messages.map((m) => m.visibleAt));
        if (Number.isFinite(next) && next > now) timer = setTimeout(() => q.pump(), next - now).unref();
        if (messages.length === 0 && inFlight.size === 0) for (const w of waiters.splice(0)) w();
      },
    };
    return q;
  });

  async function deliver(q: (typeof queues)[number], batch: Message[]) {
    const now = Date.now();
    for (const m of batch) {
      m.receiveCount++;
      m.firstReceiveAt ??= now;
      // Hidden while its delivery runs; the (scaled) visibility timeout counts from its end.
      m.visibleAt = Number.POSITIVE_INFINITY;
      q.receives.push({ messageId: m.messageId, receiveCount: m.receiveCount });
    }
    const event = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: `${m.messageId}#${m.receiveCount}`,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: LOCAL_ACCOUNT,
          ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
        },
        messageAttributes: {},
        md5OfBody: m.md5,
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${q.spec.id}`,
        awsRegion: LOCAL_REGION,
      })),
    };
    let failed: Set<string>;
    try {
      const handler = await opts.resolveHandler(q.spec.consumer);
      const out = (await handler(event, opts.context(q.spec.consumer) as never)) as
        | { batchItemFailures?: Array<{ itemIdentifier?: string }> }
        | undefined;
      // Without ReportBatchItemFailures, AWS ignores the answer: a returned batch is all done.
      failed = new Set(q.spec.reportBatchItemFailures ? (out?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)) : []);
    } catch (err) {
      log(`SQS: ${q.spec.consumer} thất bại với ${batch.length} thư: ${(err as Error)?.message ?? err}`);
      failed = new Set(batch.map((m) => m.messageId));
    }
    const visibleAt = Date.now() + (q.spec.visibilityTimeoutSeconds * 1000) / scale;
    for (const m of batch) {
      m.visibleAt = visibleAt;
      const i = q.messages.indexOf(m);
      if (i < 0) continue;
      if (!failed.has(m.messageId)) q.messages.splice(i, 1);
      else if (m.receiveCount >= q.spec.maxReceiveCount) {
        q.messages.splice(i, 1);
        q.deadLetters.push({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount });
        log(`SQS: thư ${m.messageId} chuyển vào hàng đợi lỗi sau ${m.receiveCount} lần nhận`);
      }
    }
  }

  function enqueue(queueUrl: string | undefined, bodies: Array<{ id?: string; body: string }>) {
    const q = queues.find((x) => x.url === queueUrl || (queueUrl ?? '').endsWith(`/${x.spec.id}`));
    if (!q)
      throw Object.assign(new Error(`The specified queue does not exist: ${queueUrl}`), {
        code: 'AWS.SimpleQueueService.NonExistentQueue',
      });
    const out = bodies.map(({ id, body }) => {
      const m: Message = { messageId: randomUUID(), body, md5: md5(body), sentAt: Date.now(), receiveCount: 0, visibleAt: Date.now() };
      q.messages.push(m);
      return { Id: id, MessageId: m.messageId, MD5OfMessageBody: m.md5 };
    });
    queueMicrotask(() => q.pump());
    return out;
  }

  async function serve(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(body));
    };
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        QueueUrl?: string;
        MessageBody?: string;
        Entries?: Array<{ Id: string; MessageBody: string }>;
      };
      if (op === 'SendMessage') {
        const [sent] = enqueue(body.QueueUrl, [{ body: String(body.MessageBody ?? '') }]);
        return answer(200, { MessageId: sent.MessageId, MD5OfMessageBody: sent.MD5OfMessageBody });
      }
      if (op === 'SendMessageBatch') {
        const sent = enqueue(
          body.QueueUrl,
          (body.Entries ?? []).map((e) => ({ id: e.Id, body: e.MessageBody })),
        );
        return answer(200, { Successful: sent, Failed: [] });
      }
      return answer(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `Operation ${op} is not supported locally` });
    } catch (err) {
      return answer(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: (err as Error).message });
    }
  }

  const env: Record<string, string> = { AWS_ENDPOINT_URL_SQS: url };
  for (const q of queues) for (const v of q.spec.urlVariables) env[v] = q.url;

  return {
    url,
    queues,
    env,
    idle: () =>
      new Promise<void>((resolve) => {
        if (queues.every((q) => q.pending() === 0) && inFlight.size === 0) return resolve();
        waiters.push(resolve);
      }),
    async stop() {
      stopped = true;
      await Promise.allSettled([...inFlight]);
      for (const w of waiters.splice(0)) w();
      await closeServer(server);
    },
  };
}

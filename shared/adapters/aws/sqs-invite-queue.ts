import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { InviteJob, InviteQueue } from '../../features/intake/fanout';

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH = 10;
/** Entries SQS refused in a batch (throttled, internal error) are sent again this many times. */
const RESEND_ATTEMPTS = 3;

/** The invite queue on SQS: one message per job, sent in batches of 10. */
export class SqsInviteQueue implements InviteQueue {
  constructor(
    private readonly queueUrl: string | undefined,
    private readonly sqs: SQSClient,
  ) {}

  async enqueue(jobs: readonly InviteJob[]): Promise<void> {
    if (!this.queueUrl) throw new Error('Missing environment variable INVITE_QUEUE_URL');
    for (let i = 0; i < jobs.length; i += BATCH) {
      let entries: SendMessageBatchRequestEntry[] = jobs
        .slice(i, i + BATCH)
        .map((job, k) => ({ Id: String(i + k), MessageBody: JSON.stringify(job) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        const res = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((res.Failed ?? []).map((f) => f.Id));
        // A sender fault (bad message) will not pass on a resend: fail now, the scheduler retries the run.
        const fatal = (res.Failed ?? []).find((f) => f.SenderFault);
        if (fatal || (failed.size > 0 && attempt + 1 >= RESEND_ATTEMPTS)) {
          throw new Error(`SQS refused ${failed.size} invite message(s): ${(fatal ?? res.Failed?.[0])?.Code ?? 'unknown'}`);
        }
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}

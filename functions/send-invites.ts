import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import * as z from 'zod';
import { organizationDeps } from '../shared/adapters/wiring';
import { inviteIdempotencyStore, inviteSendRate } from '../shared/adapters/wiring-fanout';
import { deliverInviteJob, INVITE_JOB_IDENTITY, type InviteJob, InviteJobSchema, recipientsOf } from '../shared/features/intake/fanout';
import type { IntakeDeps } from '../shared/features/intake/service';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/**
 * Consumer of the invite queue (infra/constructs/invite-fanout.ts): one message = one division's
 * invite or reminder for one quarter. Each job is sent once — Powertools Idempotency on the
 * table, keyed on the job's identity, so a redelivered message, a retried scheduler run or a
 * second open of the quarter finds the completed record and mails nobody. Failed messages are
 * reported one by one (`batchItemFailures`): only they come back, after the visibility timeout,
 * and after the queue's maxReceiveCount they rest in the dead-letter queue (alarmed).
 */

/** The part of an SQS event this reads (the Powertools Parser's SqsSchema pulls in all of zod: see ADR 0046). */
const SqsEvent = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })),
});

/** The idempotency record outlives the quarter's intake window (opened on the 15th, deadline the 20th three months on, plus grace). */
export const JOB_RECORD_SECONDS = 120 * 86_400;

export interface SendInvitesOptions {
  deps: (job: InviteJob) => Promise<IntakeDeps>;
  /** Built on the first message, so importing this module for makeHandler needs no environment. */
  persistence: () => BasePersistenceLayer;
  /** Recipients per second this invocation may mail (SES's rate / the consumer's maximum concurrency); unset: unpaced. */
  sendRate?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface LambdaContextLike {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export function makeHandler(opts: SendInvitesOptions) {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const config = new IdempotencyConfig({
    eventKeyJmesPath: `[${INVITE_JOB_IDENTITY.join(', ')}]`,
    expiresAfterSeconds: JOB_RECORD_SECONDS,
  });
  let deliver: ((job: InviteJob) => Promise<unknown>) | undefined;
  const deliverOnce = (job: InviteJob) => {
    deliver ??= makeIdempotent(async (j: InviteJob) => deliverInviteJob(await opts.deps(j), j), {
      persistenceStore: opts.persistence(),
      config,
      // Stable across deployments and the local runtime (the default is the function's name).
      keyPrefix: 'send-invites',
    });
    return deliver(job);
  };

  return async (event: unknown, context?: LambdaContextLike) => {
    // An in-progress record expires with this invocation, so a crash mid-send frees the job for a retry.
    if (context?.getRemainingTimeInMillis) config.registerLambdaContext(context as never);
    const { Records } = SqsEvent.parse(event);
    const batchItemFailures: Array<{ itemIdentifier: string }> = [];
    let nextSendAt = 0;
    for (const record of Records) {
      try {
        const job = InviteJobSchema.parse(JSON.parse(record.body));
        // Pacing by recipients: SES counts each address of a message against its sending rate.
        if (opts.sendRate) {
          const wait = nextSendAt - Date.now();
          if (wait > 0) await sleep(wait);
          const recipients = recipientsOf(await opts.deps(job), job);
          nextSendAt = Math.max(Date.now(), nextSendAt) + (1000 * recipients) / opts.sendRate;
        }
        const outcome = await deliverOnce(job);
        log.info('invite job done', {
          messageId: record.messageId,
          periodId: job.periodId,
          divisionId: job.divisionId,
          reason: job.reason,
          outcome,
        });
      } catch (err) {
        log.error('invite job failed', {
          messageId: record.messageId,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = withLogContext(
  makeHandler({
    deps: (job) => organizationDeps(job.orgId, job.reportType),
    persistence: inviteIdempotencyStore,
    sendRate: inviteSendRate(),
  }),
);

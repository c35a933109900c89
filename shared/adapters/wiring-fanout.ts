/**
 * Wiring of the invite fan-out (docs/adr/0046-operable-on-aws.md), apart from ./wiring.ts so that
 * only `open-period` bundles the SQS client and only `send-invites` the idempotency layer.
 */

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { InviteQueue } from '../features/intake/fanout';
import { SqsInviteQueue } from './aws/sqs-invite-queue';
import { readEnv } from './env';
import { traced } from './tracing';

/** Partition key of every idempotency record in the single table (sort key: the hashed job identity). */
export const IDEMPOTENCY_PK = 'IDEMPOTENCY#send-invites';

let queue: InviteQueue | undefined;
/** The queue `open-period` enqueues on (INVITE_QUEUE_URL). */
export function inviteQueue(): InviteQueue {
  queue ??= new SqsInviteQueue(readEnv().INVITE_QUEUE_URL, traced(new SQSClient({})));
  return queue;
}

let persistence: DynamoDBPersistenceLayer | undefined;
/**
 * Powertools Idempotency on the single table: `pk` = IDEMPOTENCY_PK, `sk` = the hashed key, and
 * the record's expiry in `ttl`, the table's TTL attribute, so DynamoDB deletes old records.
 */
export function inviteIdempotencyStore(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({
    tableName: readEnv().TABLE_NAME,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: IDEMPOTENCY_PK,
    expiryAttr: 'ttl',
    awsSdkV3Client: traced(new DynamoDBClient({})),
  });
  return persistence;
}

/** MAIL_SEND_RATE, read without requiring the rest of the environment (module load of send-invites). */
export function inviteSendRate(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const rate = Number(env.MAIL_SEND_RATE);
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}

/**
 * Deliberate departures of the local S3 and SQS from AWS (the Step Functions ones are in
 * ./sfn/departures.ts), each with its reason. test/integration/local-departures.test.ts proves
 * them one by one. See docs/adr/0046-operable-on-aws.md.
 */

export type LocalDepartureId =
  | 'archive-without-object-lock'
  | 'sqs-in-process-delivery'
  | 'sqs-visibility-scaled'
  | 'sqs-no-ses-pacing'
  | 'sqs-memory-only'
  | 'idempotency-without-ttl-deletion'
  | 'signing-material-without-kms';

export interface LocalDeparture {
  id: LocalDepartureId;
  what: string;
  why: string;
}

export const LOCAL_DEPARTURES: readonly LocalDeparture[] = [
  {
    id: 'signing-material-without-kms',
    what: 'Signing material under orgs/<org>/signing/ (signature and seal images, certificate chains) is stored without SSE-KMS: SIGNING_MATERIAL_KEY_ID is not set locally.',
    why: 'There is no KMS emulator and s3rver does not encrypt. The SHA-256 in the organization document is checked on every read either way (test/integration/signing-material.test.ts tampers with an object); the key, the grants and the bucket policy refusing other puts are proved by the template (test/infra/stack.test.ts).',
  },
  {
    id: 'archive-without-object-lock',
    what: 'The released-report archive (ARCHIVE_BUCKET_NAME) is a second s3rver bucket without Object Lock: a released file can be overwritten or deleted locally.',
    why: 's3rver has no Object Lock, retention or legal hold. The code path is the same (released/ keys go to the archive bucket); the lock itself is proved by the template (test/infra/ops.test.ts).',
  },
  {
    id: 'sqs-in-process-delivery',
    what: 'Queues are served by infra/local/sqs.ts (SendMessage, SendMessageBatch only) and delivered in-process to the consumer handler; batch size, maximum concurrency, maxReceiveCount, the dead-letter queue and ReportBatchItemFailures are read from the template.',
    why: 'No SQS emulator runs without Docker or Java here; the producer and consumer handlers stay unchanged and reach it through AWS_ENDPOINT_URL_SQS like the other services.',
  },
  {
    id: 'sqs-visibility-scaled',
    what: "The visibility timeout (a failed message's wait before its next receive) is divided by the runtime's timeScale, and counted from the end of the delivery instead of the receive.",
    why: 'Tests accelerate the calendar of waits the same way for approvals and retries. On AWS the timeout (6 × the function timeout) always outlasts the delivery; scaled down it would not, so a message is never received again while its delivery still runs.',
  },
  {
    id: 'sqs-no-ses-pacing',
    what: 'MAIL_SEND_RATE is not set locally: send-invites mails without pacing.',
    why: 'The local SMTP catcher has no sending rate; pacing would only slow the tests. The pacing is unit-tested.',
  },
  {
    id: 'sqs-memory-only',
    what: 'Queued messages live in memory: stopping the local system drops messages not yet delivered (not the jobs already mailed).',
    why: 'Nothing mails on a clock locally; a dropped scheduled run is re-run by hand (baocao open / remind).',
  },
  {
    id: 'idempotency-without-ttl-deletion',
    what: 'dynalite has no TTL: idempotency records (and links, sessions) are never deleted locally.',
    why: 'Powertools Idempotency checks the expiry itself, so an expired record is treated as absent all the same.',
  },
];

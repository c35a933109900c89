import { z } from 'zod';
import { defaultDeps } from '../shared/adapters/wiring';
import type { IngestDeps } from '../shared/features/intake/ingest';
import type { ObjectLister } from '../shared/features/intake/ports';
import { reconcileUploads } from '../shared/features/intake/reconcile';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/**
 * The reconciler: on AWS an EventBridge schedule (every 10 minutes) and the intake dead-letter
 * queue (an event whose retries are exhausted) invoke it; locally the embedded runtime calls it
 * at start-up and periodically. Whatever the trigger, it lists raw/ and ingests every object
 * without an outcome: an SQS message needs no parsing, the listing finds its object.
 */
const Input = z
  .object({
    /** Local runtime after a restart: claims of earlier processes are dead. */
    takeOverOtherOwners: z.boolean().optional(),
  })
  .passthrough();

export function makeHandler(deps: () => IngestDeps & { objects: ObjectLister }) {
  return async (event: unknown) => {
    const input = Input.safeParse(event ?? {});
    const takeOverOtherOwners = input.success ? input.data.takeOverOtherOwners : undefined;
    const report = await reconcileUploads(deps(), { takeOverOtherOwners });
    const summary = { seen: report.seen, resolved: report.resolved.length, inProgress: report.inProgress, failed: report.failed.length };
    log[report.failed.length ? 'warn' : 'info']('uploads reconciled', summary);
    // Failures were logged; throwing makes the schedule's and the queue's retries try again.
    if (report.failed.length) throw new Error(`Reconcile: ${report.failed.length} upload(s) still failing`);
    return summary;
  };
}

export const handler = withLogContext(makeHandler(defaultDeps));

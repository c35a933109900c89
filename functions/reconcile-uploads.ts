import * as z from 'zod';
import { allScopeDeps } from '../shared/adapters/wiring';
import type { IngestDeps } from '../shared/features/intake/ingest';
import type { ObjectLister } from '../shared/features/intake/ports';
import { reconcileUploads } from '../shared/features/intake/reconcile';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/**
 * The reconciler: on AWS an EventBridge schedule (every 10 minutes) and the intake dead-letter
 * queue (an event whose retries are exhausted) invoke it; locally the embedded runtime calls it
 * at start-up and periodically. Whatever the trigger, it lists raw/ of every organization and
 * report type (each scope's own raw/<org>/<type>/, with that scope's stores) and ingests every
 * object without an outcome: an SQS message needs no parsing, the listing finds its object.
 */
const Input = z
  .object({
    /** Local runtime after a restart: claims of earlier processes are dead. */
    takeOverOtherOwners: z.boolean().optional(),
  })
  .passthrough();

type ScopeDeps = IngestDeps & { objects: ObjectLister };

/** `scopes` lists the dependencies of every organization and report type (one, in the handler tests). */
export function makeHandler(scopes: () => ScopeDeps | ScopeDeps[] | Promise<ScopeDeps[]>) {
  return async (event: unknown) => {
    const input = Input.safeParse(event ?? {});
    const takeOverOtherOwners = input.success ? input.data.takeOverOtherOwners : undefined;
    const all = await scopes();
    const summary = { seen: 0, resolved: 0, inProgress: 0, failed: 0 };
    for (const deps of Array.isArray(all) ? all : [all]) {
      const report = await reconcileUploads(deps, { takeOverOtherOwners });
      summary.seen += report.seen;
      summary.resolved += report.resolved.length;
      summary.inProgress += report.inProgress;
      summary.failed += report.failed.length;
    }
    log[summary.failed ? 'warn' : 'info']('uploads reconciled', summary);
    // Failures were logged; throwing makes the schedule's and the queue's retries try again.
    if (summary.failed) throw new Error(`Reconcile: ${summary.failed} upload(s) still failing`);
    return summary;
  };
}

export const handler = withLogContext(makeHandler(allScopeDeps));

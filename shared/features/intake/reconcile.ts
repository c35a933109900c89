import { log } from '../../log';
import { type IngestDeps, type IngestResult, ingestUpload } from './ingest';
import type { ObjectLister } from './ports';

export interface ReconcileReport {
  /** raw/ objects looked at. */
  seen: number;
  /** Objects that had no outcome (or a stale claim) and were ingested now. */
  resolved: Array<{ key: string; status: IngestResult['status'] }>;
  /** Objects still held by a live attempt. */
  inProgress: number;
  /** Objects whose ingest failed again (logged; the next run tries again). */
  failed: Array<{ key: string; error: string }>;
}

/**
 * Nothing S3 accepted is lost: every raw/ object without an outcome for its content — never
 * seen (an event lost, a process killed) or held by an attempt whose claim went stale — is
 * ingested now, through the same claim as an event, so the reconciler and a late event can
 * never both make a version. `takeOverOtherOwners` is for a local runtime that just restarted:
 * the claims of the previous process are dead whatever their lease says.
 */
export async function reconcileUploads(
  deps: IngestDeps & { objects: ObjectLister },
  opts: { takeOverOtherOwners?: boolean; concurrency?: number } = {},
): Promise<ReconcileReport> {
  const objects = await deps.objects.list('raw/');
  const report: ReconcileReport = { seen: objects.length, resolved: [], inProgress: 0, failed: [] };
  const todo: typeof objects = [];
  for (const o of objects) {
    const claim = await deps.ledger.getClaim(o.key);
    if (claim && claim.etag === o.etag && claim.status !== 'processing') continue;
    todo.push(o);
  }
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const o = todo[next++];
      try {
        const res = await ingestUpload(deps, { key: o.key, etag: o.etag }, { takeOverOtherOwners: opts.takeOverOtherOwners });
        if (res.status === 'processing') report.inProgress++;
        else report.resolved.push({ key: o.key, status: res.status });
      } catch (err) {
        report.failed.push({ key: o.key, error: (err as Error)?.message ?? String(err) });
        log.error('reconcile: ingest failed', { key: o.key, error: (err as Error)?.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return report;
}

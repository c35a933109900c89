import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { objectDeps } from '../shared/adapters/wiring';
import { type IngestDeps, ingestUpload } from '../shared/features/intake/ingest';
import { log } from '../shared/log';
import { withLogContext } from '../shared/observability/log-context';

/** EventBridge "Object Created" from the bucket (rule filters on raw/). */
const S3ObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string().min(1), etag: z.string().optional(), size: z.number().optional() }),
  }),
});

/**
 * Exactly once per (key, ETag) whatever the number of deliveries: a duplicate answers the recorded
 * outcome, or `processing` while another attempt holds the claim. A transient fault is thrown as
 * TransientError (Lambda retries, then the dead-letter queue, which the reconciler drains).
 */
export function makeHandler(deps: () => IngestDeps) {
  return async (event: unknown) => {
    const { detail } = S3ObjectCreated.parse(event);
    const result = await ingestUpload(deps(), { key: detail.object.key, etag: detail.object.etag });
    if (result.status === 'processing') {
      log.info('upload held by another attempt', { key: result.key, leaseUntil: result.leaseUntil });
      return { key: result.key, status: result.status };
    }
    log.info('upload ingested', { key: result.key, status: result.status, errors: result.errorCount ?? result.errors.length });
    return { key: result.key, status: result.status, version: result.version };
  };
}

/** The bucket key names the organization and report type (raw/<org>/<type>/…): ingest runs in that scope. */
async function scopedHandler(event: unknown) {
  const parsed = S3ObjectCreated.parse(event);
  const { deps, key } = await objectDeps(parsed.detail.object.key);
  return makeHandler(() => deps)({ ...parsed, detail: { ...parsed.detail, object: { ...parsed.detail.object, key } } });
}

export const handler = withLogContext(scopedHandler);

import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { requestApproval } from '../shared/features/approval/approvals';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

const Input = z.object({
  taskToken: z.string().min(1),
  reportId: z.string().min(1),
  periodId: z.string().min(1),
  approval: z.object({
    stepIndex: z.number().int().min(0),
    phase: z.enum(['waiting', 'reminded', 'escalated']),
    timeoutSeconds: z.number(),
    deadline: z.string(),
    stepStartedAt: z.string(),
    done: z.boolean(),
    expired: z.boolean(),
  }),
  draft: z.object({ key: z.string(), sha256: z.string(), version: z.number().int().positive() }),
});

export function makeHandler(deps: () => Parameters<typeof requestApproval>[0]) {
  // A retry after a transient fault mails fresh links and supersedes the earlier ones: consistent, never lost.
  return retryTransient(async (event: unknown) => requestApproval(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

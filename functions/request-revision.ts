import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { requestRevision } from '../shared/features/approval/approvals';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

const Input = z.object({
  taskToken: z.string().min(1),
  reportId: z.string().min(1),
  periodId: z.string().min(1),
  returned: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export function makeHandler(deps: () => Parameters<typeof requestRevision>[0]) {
  // A retry after a transient fault stores the new task token and may repeat the return notice: never a lost one.
  return retryTransient(async (event: unknown) => requestRevision(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

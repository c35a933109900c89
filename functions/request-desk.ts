import { z } from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { requestDesk } from '../shared/features/reports/desk';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

const Input = z.object({
  taskToken: z.string().min(1),
  reportId: z.string().min(1),
  periodId: z.string().min(1),
});

export function makeHandler(deps: () => Parameters<typeof requestDesk>[0]) {
  // A retry after a transient fault stores the newer task token and may repeat the mail: never a lost one.
  return retryTransient(async (event: unknown) => requestDesk(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

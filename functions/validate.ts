import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { validateRun } from '../shared/features/reports/pipeline';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

export const RunInput = z.object({ reportId: z.string().min(1), periodId: z.string().min(1), requestedBy: z.string().optional() });

export function makeHandler(deps: () => Parameters<typeof validateRun>[0]) {
  return retryTransient(async (event: unknown) => validateRun(deps(), RunInput.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

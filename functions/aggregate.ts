import { byReport } from '../shared/adapters/wiring';
import { aggregateRun } from '../shared/features/reports/pipeline';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

export function makeHandler(deps: () => Parameters<typeof aggregateRun>[0]) {
  return retryTransient(async (event: unknown) => aggregateRun(deps(), RunInput.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

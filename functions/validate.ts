import { byReport } from '../shared/adapters/wiring';
import { validateRun } from '../shared/features/reports/pipeline';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

export { RunInput };

export function makeHandler(deps: () => Parameters<typeof validateRun>[0]) {
  return retryTransient(async (event: unknown) => validateRun(deps(), RunInput.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

import { byReport } from '../shared/adapters/wiring';
import { releaseReport } from '../shared/features/release/release';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

export function makeHandler(deps: () => Parameters<typeof releaseReport>[0]) {
  return retryTransient(async (event: unknown) => releaseReport(deps(), RunInput.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

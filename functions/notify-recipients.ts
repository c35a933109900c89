import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import { byReport } from '../shared/adapters/wiring';
import { notifyRecipients } from '../shared/features/release/notify';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';
import { RunInput } from './run-input';

/** NotifyRecipients task (after Release): one mail per recipient per release; retried on its own. */
export function makeHandler(deps: () => Parameters<typeof notifyRecipients>[0]) {
  return retryTransient(async (event: unknown) => notifyRecipients(deps(), RunInput.parse(event).reportId));
}

export const handler = withLogContext(byReport(makeHandler));

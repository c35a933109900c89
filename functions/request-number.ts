import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { requestNumber } from '../shared/features/release/numbering';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

/** AwaitNumber task (waitForTaskToken, clerk mode): mails the clerk of records the link to enter the number. */
const Input = z.object({ taskToken: z.string().min(1), reportId: z.string().min(1), periodId: z.string().min(1) });

export function makeHandler(deps: () => Parameters<typeof requestNumber>[0]) {
  // A retry mails a fresh link, which is harmless: each link is single use and the wait takes one answer.
  return retryTransient(async (event: unknown) => requestNumber(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));

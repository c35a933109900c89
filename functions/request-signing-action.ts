import '../shared/adapters/wiring-mail'; // sends mail (FUNCTION_PROFILES.sendsMail)
import * as z from 'zod';
import { byReport } from '../shared/adapters/wiring';
import { requestSigningAction } from '../shared/features/signing/seal';
import { withLogContext } from '../shared/observability/log-context';
import { retryTransient } from '../shared/transient-handler';

/** AwaitSeal / AwaitSigningRetry (waitForTaskToken): mails the văn thư's seal link, or the compiler's retry link. */
const Input = z.object({
  taskToken: z.string().min(1),
  reportId: z.string().min(1),
  periodId: z.string().min(1),
  kind: z.enum(['seal', 'retry']),
  seal: z
    .object({
      stepIndex: z.number(),
      phase: z.enum(['waiting', 'reminded', 'escalated']),
      timeoutSeconds: z.number(),
      deadline: z.string(),
      stepStartedAt: z.string(),
      done: z.boolean(),
      expired: z.boolean(),
    })
    .optional(),
});

export function makeHandler(deps: () => Parameters<typeof requestSigningAction>[0]) {
  // A retry mails a fresh link and supersedes the earlier one: the wait takes the one that is used.
  return retryTransient(async (event: unknown) => requestSigningAction(deps(), Input.parse(event)));
}

export const handler = withLogContext(byReport(makeHandler));
